/**
 * No Docker engine runs here, so the production compose file is checked as data: it parses, every service can be
 * built or pulled, callmatrix's services use only documented variables, ports agree, Temporal gets every
 * search attribute the workflows set and the dynamic config the dev server runs with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/contracts';
import { environmentSchema } from '../../config/environment';
import { devServerArguments } from '../../cli/temporal-dev-server';
import { serverDynamicConfig, serverDynamicConfigPath } from '../../temporal/server-dynamic-config';

const root = path.join(__dirname, '../..');
interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[] | string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; timeout?: string };
  profiles?: string[];
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
}
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = Object.entries(compose.services);
const callmatrixServices = services.filter(([name]) => name.startsWith('callmatrix-'));

/** The host file mounted where DYNAMIC_CONFIG_FILE_PATH tells the Temporal server to read its dynamic config. */
function mountedDynamicConfig(): string {
  const temporal = compose.services.temporal;
  const target = temporal.environment?.DYNAMIC_CONFIG_FILE_PATH;
  const mount = (temporal.volumes ?? []).map((volume) => volume.split(':')).find(([, inContainer]) => inContainer === target);
  expect(mount).toBeDefined();
  return path.resolve(root, mount![0]);
}

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, its UI, and the callmatrix worker and webhook shim', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'callmatrix-worker', 'callmatrix-webhook']),
    );
    expect(compose.services.temporal.environment?.DB).toBe('postgres12');
    expect(compose.services.temporal.image).not.toMatch(/auto-setup/); // deprecated image
  });

  it("gives Temporal the dynamic config callmatrix's latency was measured with: eager activity dispatch", () => {
    const dynamicConfig = YAML.parse(fs.readFileSync(mountedDynamicConfig(), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamicConfig['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
  });

  it('mounts the dynamic config file the dev server of npm start, the tests and the benches is started with', () => {
    expect(mountedDynamicConfig()).toBe(serverDynamicConfigPath());
    expect(serverDynamicConfig()).toMatchObject({ 'system.enableActivityEagerExecution': true });
    const args = devServerArguments(7233, { dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } });
    for (const [key, value] of Object.entries(serverDynamicConfig())) expect(args.join(' ')).toContain(`--dynamic-config-value ${key}=${JSON.stringify(value)}`);
    expect(args.join(' ')).toContain('--dynamic-config-value limit.historyCount.suggestContinueAsNew=40');
  });

  it('refuses a dynamic config value the dev server could not be given as a flag, naming the key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-dynamic-config-'));
    const file = path.join(dir, 'dynamicconfig.yaml');
    try {
      fs.writeFileSync(file, 'frontend.enableUpdateWorkflowExecution:\n  - value: true\n    constraints: { namespace: default }\n');
      expect(() => serverDynamicConfig(file)).toThrow(`${file}: frontend.enableUpdateWorkflowExecution must be a list of one entry`);
      fs.writeFileSync(file, 'system.enableActivityEagerExecution:\n  - value: true\n');
      expect(serverDynamicConfig(file)).toEqual({ 'system.enableActivityEagerExecution': true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(services)('%s has a pinned image or a build context that exists', (_name, service) => {
    if (service.build) {
      const context = typeof service.build === 'string' ? service.build : service.build.context;
      const dockerfile = typeof service.build === 'string' ? 'Dockerfile' : (service.build.dockerfile ?? 'Dockerfile');
      expect(fs.existsSync(path.join(root, context, dockerfile))).toBe(true);
    } else {
      expect(service.image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image).not.toMatch(/:latest$/);
    }
  });

  it('every dependency names a service', () => {
    for (const [, service] of services) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(compose.services[dependency]).toBeDefined();
    }
  });

  it.each(callmatrixServices)('%s uses only documented callmatrix variables', (_name, service) => {
    const documented = Object.keys(environmentSchema.shape);
    for (const variable of Object.keys(service.environment ?? {})) expect(documented).toContain(variable);
  });

  it('the worker and the shim point at the compose Temporal service and share secrets', () => {
    const [worker, webhook] = [compose.services['callmatrix-worker'], compose.services['callmatrix-webhook']];
    expect(worker.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(webhook.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(worker.environment?.CALLMATRIX_ENCRYPTION_KEY).toBe(webhook.environment?.CALLMATRIX_ENCRYPTION_KEY);
    expect(worker.environment?.CALLMATRIX_TASK_QUEUE).toBe(webhook.environment?.CALLMATRIX_TASK_QUEUE);
  });

  it("publishes the shim's port and listens on all interfaces inside the container", () => {
    const webhook = compose.services['callmatrix-webhook'];
    expect(webhook.environment?.CALLMATRIX_HOST).toBe('0.0.0.0');
    expect(webhook.ports).toContain(`${webhook.environment?.CALLMATRIX_PORT}:${webhook.environment?.CALLMATRIX_PORT}`);
  });

  it("serves the shim's metrics on a port of their own, not on the published webhook port", () => {
    const webhook = compose.services['callmatrix-webhook'];
    expect(webhook.environment?.CALLMATRIX_METRICS_PORT).toMatch(/^\d+$/);
    expect(webhook.environment?.CALLMATRIX_METRICS_PORT).not.toBe(webhook.environment?.CALLMATRIX_PORT);
  });

  it('publishes Temporal, its UI and the codec server on the host\'s loopback only (issue 14)', () => {
    const webhookPort = compose.services['callmatrix-webhook'].environment?.CALLMATRIX_PORT;
    const published = services.flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port: String(port) })));
    // Only the shim faces the outside (the telephony); everything else is reached through the host.
    for (const entry of published.filter(({ port }) => port !== `${webhookPort}:${webhookPort}`)) {
      expect(entry).toEqual({ name: entry.name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    expect(compose.services.temporal.ports).toEqual(['127.0.0.1:7233:7233']);
    expect(compose.services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('publishes each host port once: every service of every profile can start together', () => {
    // `[ip:]host:container`: a port published on all interfaces and on 127.0.0.1 clashes too, so the ip is left out.
    const hostPorts = services.flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, host: String(port).split(':').at(-2) })));
    const owners = new Map<string | undefined, string[]>();
    for (const { name, host } of hostPorts) owners.set(host, [...(owners.get(host) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it('gives no password a default: each must be set in .env', () => {
    const passwords = services.flatMap(([name, service]) =>
      Object.entries(service.environment ?? {})
        .filter(([variable, value]) => /PASSWORD|PWD/.test(variable) || /\$\{\w*(PASSWORD|PWD)/.test(String(value)))
        .map(([variable, value]) => ({ name, variable, value: String(value) })),
    );
    expect(passwords.length).toBeGreaterThan(0);
    for (const entry of passwords) expect(entry).toEqual({ ...entry, value: expect.stringMatching(/^\$\{\w+:\?[^}]+\}$/) });
    // Nor does the .env copied from .env.example: a filled-in example password would be every deployment's.
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const examplePasswords = [...example.matchAll(/^(\w*(?:PASSWORD|PWD)\w*)=(.*)$/gm)].map(([, variable, value]) => ({ variable, value }));
    expect(examplePasswords.length).toBeGreaterThan(0);
    for (const entry of examplePasswords) expect(entry).toEqual({ ...entry, value: '' });
  });

  it('leaves the codec server off unless configured, and gives it a listener of its own (issue 14)', () => {
    const webhook = compose.services['callmatrix-webhook'];
    expect(webhook.environment?.CALLMATRIX_CODEC_PORT).toBe('${CALLMATRIX_CODEC_PORT:-}');
    expect(webhook.environment?.CALLMATRIX_CODEC_TOKEN).toBe('${CALLMATRIX_CODEC_TOKEN:-}');
    expect(webhook.ports).toContain('127.0.0.1:3001:3001');
  });

  it.each([
    ['callmatrix-webhook', 'CALLMATRIX_PORT'],
    ['callmatrix-worker', 'CALLMATRIX_WORKER_HEALTH_PORT'],
  ])('%s is health-checked on its /readyz, on the port its %s names', (name, portVariable) => {
    const service = compose.services[name];
    const port = service.environment?.[portVariable];
    expect(port).toMatch(/^\d+$/);
    expect(JSON.stringify(service.healthcheck?.test)).toContain(`http://127.0.0.1:${port}/readyz`);
    // Readiness waits up to CALLMATRIX_TEMPORAL_DEADLINE_MS (default 5 s) for Temporal: the check must wait longer.
    expect(Number.parseInt(service.healthcheck?.timeout ?? '0', 10)).toBeGreaterThan(5);
  });

  it('registers every search attribute the call workflow sets', () => {
    const setup = JSON.stringify(compose.services['temporal-setup'].command);
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(setup).toContain(key.name);
  });

  it('the worker runs the prebuilt workflow bundle the Dockerfile builds', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(dockerfile).toContain('npm run build');
    expect(packageJson.scripts.build).toContain('dist/workflow-bundle.js');
    expect(compose.services['callmatrix-worker'].command).toEqual(['worker', '--workflow-bundle', 'dist/workflow-bundle.js']);
  });

  it.each(callmatrixServices)('%s runs as a user that cannot rewrite its code, on a read-only file system, without capabilities (security)', (_name, service) => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    // The code copied into the runtime image is root's, not the user's the processes run as.
    expect(runtime).toMatch(/^COPY --from=build \/app \/app$/m);
    expect(runtime).not.toContain('--chown');
    expect(service).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    // What the processes write: the data folder, a volume.
    expect(service.volumes).toContain('callmatrix-data:/var/lib/callmatrix');
    expect(service.environment?.CALLMATRIX_DATA_DIR).toBe('/var/lib/callmatrix');
  });
});

describe('the observability profile of docker-compose.yml (#12 item 2)', () => {
  const { prometheus, grafana } = compose.services;
  /** `./host/path:/container/path[:ro]` → the host path, relative to the repository. */
  const hostPaths = (service: Service) => (service.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]);

  it('adds Prometheus and Grafana only with `--profile observability`', () => {
    expect(prometheus.profiles).toEqual(['observability']);
    expect(grafana.profiles).toEqual(['observability']);
    for (const [name, service] of services) if (name !== 'prometheus' && name !== 'grafana') expect(service.profiles).toBeUndefined();
  });

  it('mounts configuration files that exist in the repository', () => {
    for (const file of [...hostPaths(prometheus), ...hostPaths(grafana)]) expect(fs.existsSync(path.join(root, file))).toBe(true);
    expect(hostPaths(grafana)).toContain('./observability/grafana/dashboards');
  });

  it('scrapes the shim and the worker on their metrics ports, from all interfaces of their containers, unpublished', () => {
    const config = YAML.parse(fs.readFileSync(path.join(root, 'observability/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
      rule_files: string[];
    };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    const [worker, webhook] = [compose.services['callmatrix-worker'], compose.services['callmatrix-webhook']];
    expect(targets.sort()).toEqual(
      [
        `callmatrix-webhook:${webhook.environment?.CALLMATRIX_METRICS_PORT}`,
        `callmatrix-worker:${worker.environment?.CALLMATRIX_WORKER_METRICS_PORT}`,
      ].sort(),
    );
    for (const service of [worker, webhook]) expect(service.environment?.CALLMATRIX_METRICS_HOST).toBe('0.0.0.0');
    // Scraped on the compose network, never published: metrics tell call volumes and error rates.
    expect(worker.ports).toBeUndefined();
    const publishedPorts = (webhook.ports ?? []).map((entry) => String(entry).split(':').at(-1));
    expect(publishedPorts).not.toContain(webhook.environment?.CALLMATRIX_METRICS_PORT);
    expect(prometheus.volumes).toEqual(expect.arrayContaining(config.rule_files.map((file) => expect.stringMatching(new RegExp(`:${file}(:ro)?$`)))));
  });

  it('publishes Prometheus and Grafana on 127.0.0.1 only', () => {
    for (const port of [...(prometheus.ports ?? []), ...(grafana.ports ?? [])]) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

describe('README', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  it.each(Object.keys(environmentSchema.shape))('documents %s', (variable) => {
    expect(readme).toContain(`\`${variable}\``);
  });
});
