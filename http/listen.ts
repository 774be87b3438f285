import type { FastifyInstance } from 'fastify';
import { portInUse } from '../config/config-error';

/** Listens at `at`, resolving with the address; a taken port closes the app and names `portVariable`, which moves it. */
export async function listenNaming(app: FastifyInstance, at: { host: string; port: number }, portVariable: string): Promise<string> {
  try {
    return await app.listen({ host: at.host, port: at.port });
  } catch (error) {
    await app.close();
    throw portInUse(error, at.port, portVariable);
  }
}
