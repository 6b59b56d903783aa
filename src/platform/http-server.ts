import http, { type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import { Problem } from './problem';
import { StartupError } from './startup-error';

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;
/**
 * Connections the kernel may complete before the gateway accepts them (Node's default is 511): an on-sale's
 * burst of new connections beyond it is reset rather than kept waiting. The kernel caps it at somaxconn.
 */
const LISTEN_BACKLOG = 4_096;
/** How often the server looks for clients past their timeouts: a slow client is cut within this of its limit. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** A client must send its headers within `headersMs` and its whole request (body too) within `requestMs`. */
export type HttpTimeouts = { headersMs: number; requestMs: number };

export type RunningServer = { port: number; server: Server; close(): Promise<void> };

/** Why a port cannot be listened on, in words that name the setting to change. */
const LISTEN_FAILURES: Record<string, (port: number) => string> = {
  EADDRINUSE: (port) => `port ${port} is in use; set PORT to a free port`,
  EACCES: (port) => `port ${port} needs privileges this process lacks; set PORT to a port above 1023`,
};

/** What Node itself answers to the other malformed requests (it answers nothing once a listener takes over). */
const NODE_CLIENT_ERROR_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
};
const NODE_BAD_REQUEST_ANSWER = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/** How long a client cut for slowness gets to take its 408 before the connection is closed regardless. */
const CUT_GRACE_MS = 1_000;

const requestTimeout = () =>
  new Problem('request_timeout', 'The request did not arrive in time; nothing was changed. Send it again.');

const problemHeaders = (body: string) => ({
  'Content-Type': 'application/problem+json; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(body)),
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Connection: 'close',
});

/** Through the request's own response (its id, its log line, its metrics), then the connection is closed. */
function answerInFlight(response: ServerResponse, socket: Socket, problem: Problem): void {
  const requestId = response.getHeader('X-Request-Id');
  const body = JSON.stringify(problem.toJSON(typeof requestId === 'string' ? `urn:request:${requestId}` : undefined));
  response.writeHead(problem.status, problemHeaders(body));
  response.end(body, () => socket.destroy());
  setTimeout(() => socket.destroy(), CUT_GRACE_MS).unref();
}

/** Before any request: a whole HTTP answer written straight to the socket, which is then closed. */
function answerRaw(socket: Socket, problem: Problem): void {
  const body = JSON.stringify(problem.toJSON());
  const head = Object.entries(problemHeaders(body)).map(([name, value]) => `${name}: ${value}`);
  socket.write(`HTTP/1.1 ${problem.status} ${http.STATUS_CODES[problem.status]}\r\n${head.join('\r\n')}\r\n\r\n${body}`);
  socket.destroy();
}

/**
 * Answers a client the server gives up on, as Node would but with a problem for a timeout: a client
 * that has not sent its headers within `headersMs`, or its whole request within `requestMs`, gets
 * `408 request_timeout` and is disconnected. A request whose JSON body was still arriving never got
 * past reading it (the request deadline starts after), so nothing was changed. Once an answer has
 * started, the connection is only cut, never written into.
 */
function answerClientErrors(server: Server): void {
  /** Each connection's latest request's response. */
  const responses = new WeakMap<Socket, ServerResponse>();
  server.prependListener('request', (req, res) => responses.set(req.socket, res));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const response = responses.get(socket);
    // A request still arriving, whose answer has not started.
    const inFlight = response && !response.headersSent ? response : undefined;
    // Between requests (an early answer, say a 429, to a request whose body is still coming has not ended it).
    const idle = !response || (response.writableFinished && response.req.complete);
    if (err.code === 'ECONNRESET' || !socket.writable || !(inFlight || idle)) return void socket.destroy();
    if (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.write((err.code && NODE_CLIENT_ERROR_ANSWERS[err.code]) ?? NODE_BAD_REQUEST_ANSWER);
      return void socket.destroy();
    }
    if (inFlight) answerInFlight(inFlight, socket, requestTimeout());
    else answerRaw(socket, requestTimeout());
  });
}

/**
 * Listens on `port` (0 picks a free one); `close()` stops accepting, lets in-flight requests finish.
 * A port that cannot be used is a StartupError.
 */
export async function startHttpServer(app: Express, port: number, timeouts: HttpTimeouts, host?: string): Promise<RunningServer> {
  let closing = false;
  const server = http.createServer(
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
    app,
  );
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    const refuse = (err: NodeJS.ErrnoException) => {
      const failure = err.code === undefined ? undefined : LISTEN_FAILURES[err.code];
      reject(failure ? new StartupError(failure(port)) : err);
    };
    server.once('error', refuse).listen({ port, host: host ?? '0.0.0.0', backlog: LISTEN_BACKLOG }, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  // Longer than the usual load balancer's idle timeout (60 s), so that the balancer, not the gateway, closes idle connections.
  server.keepAliveTimeout = 65_000;
  // Once closing, every answer tells the client to reconnect elsewhere, so that keep-alive sockets drain.
  server.prependListener('request', (_req, res) => {
    if (closing) res.setHeader('Connection', 'close');
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => {
      closing = true;
      return new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        server.close((err) => {
          clearTimeout(cut);
          return err ? reject(err) : resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
