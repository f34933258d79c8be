// Awaiting a request that must fail, for asserting the error the client saw.

export interface ClientError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

export async function errorOf<T extends ClientError = ClientError & Record<string, unknown>>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the request to fail');
}
