import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorCode, Problem } from "@kundenakte/contract";
import type { FastifyBaseLogger } from "fastify";
import { titleOf } from "./problem.js";

/** What Node's HTTP parser rejects before Fastify sees a request, and how we answer it. */
function classify(err: NodeJS.ErrnoException): { code: ErrorCode; status: number; detail: string } {
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        code: "header_too_large",
        status: 431,
        detail: "The request line and headers exceed 16 KB; send long filters in a shorter form",
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { code: "request_timeout", status: 408, detail: "The request did not arrive in time" };
    case "HPE_INVALID_CONTENT_LENGTH":
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return { code: "bad_request", status: 400, detail: "The Content-Length header is invalid" };
    case "HPE_INVALID_TRANSFER_ENCODING":
    case "HPE_INVALID_CHUNK_SIZE":
      return { code: "bad_request", status: 400, detail: "The Transfer-Encoding or a chunk of the body is invalid" };
    default:
      return { code: "bad_request", status: 400, detail: "The request is not valid HTTP" };
  }
}

/**
 * Fastify's `clientErrorHandler`: errors of Node's HTTP parser (a URL over 16 KB, a bad
 * Content-Length…) never become a request, so the error handler cannot see them. They get a
 * problem document like every other error, written to the socket as Node itself would.
 */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const { code, status, detail } = classify(err);
  const requestId = randomUUID();
  this.log.debug({ err, requestId }, "client error");
  // Only a socket that has not begun a response may get one (as in Node's own handler).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy(err);
    return;
  }
  const body: Problem = {
    type: `https://kundenakte.dev/problems/${code.replace(/_/g, "-")}`,
    title: titleOf(code),
    status,
    code,
    detail,
    requestId,
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      "X-Content-Type-Options: nosniff\r\n" +
      "\r\n" +
      json,
  );
}
