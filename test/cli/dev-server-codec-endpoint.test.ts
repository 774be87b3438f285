/**
 * `npm start` gives the embedded Temporal UI the codec server's endpoint, whose path holds the codec token: whoever
 * has it reads every call. The token must not be in the dev server's arguments, which `ps` shows to every user of the
 * machine; the CLI gets it from an environment file of its own, gone once the server serves, and the UI still gets
 * the endpoint.
 */
import fs from 'node:fs';
import { startDevServer, type RunningDevServer } from '../../cli/temporal-dev-server';
import { portToListenOn } from '../support/listen-ports';
import { codecUiEndpoint } from '../../http/codec-server';

const TOKEN = 'codec-token-never-in-argv-0123456789';
let server: RunningDevServer | undefined;

afterAll(async () => server?.stop());

it("keeps the codec token out of the dev server's process arguments; its UI decodes through the endpoint", async () => {
  const endpoint = codecUiEndpoint('127.0.0.1', await portToListenOn(), TOKEN);
  server = await startDevServer({ port: await portToListenOn(), uiPort: await portToListenOn(), uiCodecEndpoint: endpoint });

  // What `ps -o args` shows for the process.
  const args = fs.readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8').split('\0');
  expect(args).toEqual(expect.arrayContaining(['server', 'start-dev']));
  expect(args.join(' ')).not.toContain(TOKEN);

  const settings = (await (await fetch(`${server.uiUrl}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
  expect(settings.Codec.Endpoint).toBe(endpoint);
  // The file that carried it is gone: the token is on no disk but in .callmatrix/secrets.json.
  const envFile = args[args.indexOf('--env-file') + 1];
  expect(envFile).toMatch(/temporal-env\.yaml$/);
  expect(fs.existsSync(envFile)).toBe(false);
});
