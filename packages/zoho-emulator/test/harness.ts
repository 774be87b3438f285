import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from '@callmatrix/zoho-emulator';

/** Starts an emulator (empty seed unless told otherwise) and authorises a CRM client against it through HTTP. */
export interface Harness {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  /** CRM client on `${apiDomain}/crm/v8`, never throwing on HTTP status codes. */
  api: AxiosInstance;
  accessToken: string;
  refreshToken: string;
}

export function crmClient(apiDomain: string, accessToken: string): AxiosInstance {
  return axios.create({
    baseURL: `${apiDomain}/crm/v8`,
    headers: { Authorization: `Zoho-oauthtoken ${accessToken}` },
    validateStatus: () => true,
  });
}

export async function startHarness(options: EmulatorOptions = {}, scope?: string): Promise<Harness> {
  const emulator = await startEmulator({ seed: 'empty', ...options });
  const admin = new EmulatorAdmin(emulator.url);
  const auth = await admin.authorize({ scope });
  return { emulator, admin, api: crmClient(auth.apiDomain, auth.accessToken), accessToken: auth.accessToken, refreshToken: auth.refreshToken };
}

/** POSTs form parameters to an accounts endpoint, returning whatever status comes back. */
export function postForm(url: string, params: Record<string, string>): Promise<AxiosResponse<Record<string, unknown>>> {
  return axios.post(url, new URLSearchParams(params), { validateStatus: () => true });
}

/** The id of the single record a successful insert created. */
export function createdId(response: AxiosResponse): string {
  const result = response.data.data[0];
  if (result.status !== 'success') throw new Error(`insert failed: ${JSON.stringify(result)}`);
  return result.details.id as string;
}
