import { Command, InvalidArgumentError, Option } from 'commander';
import pino from 'pino';
import { DATA_CENTRES, type DataCentre } from './dc';
import { startEmulator } from './index';
import { EDITIONS, type Edition } from './limits';

/** CLI: `npx zoho-emulator --port 4010 --dc eu --edition enterprise --latency 100`. */
function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

interface CliOptions {
  port: number;
  host: string;
  dc: DataCentre;
  edition: Edition;
  latency: number;
  seed: 'demo' | 'empty';
  customFields: 'demo' | 'none';
  searchIndexLag: number;
  tokenTtl: number;
  recordFile?: string;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('zoho-emulator')
    .description('A local Zoho CRM (API v8) and Zoho Accounts for demos, tests and benchmarks')
    .addOption(new Option('--port <port>', 'port to listen on, 0 for a random free port').default(0).argParser(nonNegativeInt))
    .addOption(new Option('--host <host>', 'interface to listen on').default('127.0.0.1'))
    .addOption(new Option('--dc <dc>', 'data centre of the emulated org').choices(DATA_CENTRES).default('us'))
    .addOption(new Option('--edition <edition>', 'CRM edition: sets concurrency and credits').choices(EDITIONS).default('professional'))
    .addOption(new Option('--latency <ms>', 'latency added to every CRM API response').default(0).argParser(nonNegativeInt))
    .addOption(new Option('--seed <seed>', 'demo records, or none').choices(['demo', 'empty']).default('demo'))
    .addOption(new Option('--custom-fields <set>', "the rs_* custom fields callmatrix expects, or none (a fresh org)").choices(['demo', 'none']).default('demo'))
    .addOption(new Option('--search-index-lag <ms>', 'how long new/edited records stay invisible to search').default(0).argParser(nonNegativeInt))
    .addOption(new Option('--token-ttl <seconds>', 'access token lifetime').default(3600).argParser(nonNegativeInt))
    .addOption(new Option('--record-file <file>', 'keep the records in this JSON file across restarts (default: in memory)'))
    .parse(argv);
  const options = program.opts<CliOptions>();
  const log = pino({ name: 'zoho-emulator' });
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    dc: options.dc,
    edition: options.edition,
    latencyMs: options.latency,
    seed: options.seed,
    customFields: options.customFields,
    searchIndexLagMs: options.searchIndexLag,
    accessTokenTtlSeconds: options.tokenTtl,
    recordFile: options.recordFile,
  });
  log.info(
    {
      url: emulator.url,
      apiDomain: emulator.apiDomain,
      accountsUrl: emulator.accountsUrl,
      tokenEndpoint: `${emulator.accountsUrl}/oauth/v2/token`,
      inspectionUrl: `${emulator.url}/__emulator`,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      dc: options.dc,
      edition: options.edition,
    },
    'zoho emulator listening',
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
