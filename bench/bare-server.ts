// The baseline for the ratio: a bare node:http server answering every request with the
// same bytes the real endpoint sends. Started as a child process by bench/run.ts.
import { createServer } from "node:http";

const body = Buffer.from(process.env.BARE_BODY_BASE64 ?? "", "base64");
const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) };
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.("ready"));
