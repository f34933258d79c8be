// The ceiling: a minimal node:http server that reads the request body and answers a fixed small
// JSON body. Whatever it reaches is the most any Node HTTP/1.1 server can reach on this machine
// with this load generator. Run as a child process by bench/run.ts; prints the same
// "listening on http://127.0.0.1:PORT" line as TabulaDB.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from('{"Item":{"pk":{"S":"get#0"},"sk":{"S":"0"}}}');
const headers = { 'content-type': 'application/x-amz-json-1.0', 'content-length': body.length };

const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`fixed-body server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
