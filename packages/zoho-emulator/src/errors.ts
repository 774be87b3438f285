/** Zoho CRM's error envelope: `{"code","details","message","status":"error"}`, thrown by handlers, sent by the gate. */
export interface ZohoErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export class ZohoApiError extends Error {
  readonly body: ZohoErrorBody;

  constructor(
    readonly httpStatus: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${message}`);
    this.body = { code, details, message, status: 'error' };
  }
}

export const invalidModule = (): ZohoApiError => new ZohoApiError(400, 'INVALID_MODULE', 'the module name given seems to be invalid');

export const requiredParamMissing = (param: string): ZohoApiError =>
  new ZohoApiError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: param });

export const invalidParam = (param: string, message = 'the value given seems to be invalid'): ZohoApiError =>
  new ZohoApiError(400, 'INVALID_DATA', message, { param_name: param });

export const invalidUrlPattern = (): ZohoApiError =>
  new ZohoApiError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
