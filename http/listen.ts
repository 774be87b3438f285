import type { FastifyInstance } from 'fastify';
import { listenProblem } from '../config/config-error';

/**
 * Listens at `at`, resolving with the address; a taken port or an interface that is not this machine's closes the app
 * and names the variable to change (`portVariable`, or the host variable that goes with it).
 */
export async function listenNaming(app: FastifyInstance, at: { host: string; port: number }, portVariable: string): Promise<string> {
  try {
    return await app.listen({ host: at.host, port: at.port });
  } catch (error) {
    await app.close();
    throw listenProblem(error, at, portVariable);
  }
}
