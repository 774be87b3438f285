/** Runs the emulator on its own: `RINGOSTAT_API_KEY=… PORT=3200 npm start -w @callmatrix/ringostat-emulator`. */
import { startRingostatEmulator } from './index';

const apiKey = process.env.RINGOSTAT_API_KEY;
if (!apiKey) {
  process.stderr.write('ringostat-emulator: set RINGOSTAT_API_KEY to the key clients must send\n');
  process.exit(2);
}
void startRingostatEmulator({ apiKey, port: Number(process.env.PORT ?? 3200) }).then((emulator) =>
  process.stdout.write(`ringostat emulator listening on ${emulator.url}\n`),
);
