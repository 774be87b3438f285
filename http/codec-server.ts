/**
 * The codec server's own listener, apart from the public webhook port: it can stay on an internal interface
 * (CALLMATRIX_CODEC_HOST) while the shim faces the telephony. Off unless CALLMATRIX_CODEC_PORT is set; `npm start`
 * turns it on for the embedded Temporal UI.
 */
import Fastify from 'fastify';
import { listenNaming } from './listen';
import { registerCodecRoutes, type CodecRoutesOptions } from './codec-routes';

export interface CodecServerOptions extends CodecRoutesOptions {
  host: string;
  port: number;
  /** The variable that moves the port, named when the port is taken. */
  portVariable: string;
}

export interface RunningCodecServer {
  /** The endpoint to give the Temporal UI. */
  uiEndpoint: string;
  close(): Promise<void>;
}

/** The endpoint a Temporal UI is given: the listener's URL with the token as its path (see codec-routes.ts). */
export function codecUiEndpoint(host: string, port: number, token: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(token)}`;
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  registerCodecRoutes(app, options);
  await listenNaming(app, options, options.portVariable);
  const { port } = app.server.address() as { port: number };
  // The endpoint holds the token: it is logged without it.
  options.logger.info({ host: options.host, port }, 'codec server listening');
  return { uiEndpoint: codecUiEndpoint(options.host, port, options.token), close: () => app.close() };
}
