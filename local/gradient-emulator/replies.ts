// The Gradient emulator's replies: a status with a JSON body, and the NestJS-style error bodies Gradient sends.

export interface Reply {
  status: number;
  body: unknown;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** `{statusCode, message}`: Gradient's plain error body. */
export const failure = (status: number, message: string): Reply => ({ status, body: { statusCode: status, message } });

/** A validation failure: class-validator's list of problems. */
export const badRequest = (message: string[]): Reply => ({
  status: 400,
  body: { statusCode: 400, message, error: 'Bad Request' },
});

export const notFound = (method: string, path: string): Reply => ({
  status: 404,
  body: { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' },
});
