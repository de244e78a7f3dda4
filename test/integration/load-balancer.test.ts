/**
 * The local load balancer of `make cluster` in front of one API process that is down (its port
 * refuses connections) and one that answers: every request reaches the live one, a POST too,
 * since a refused connection means no API saw it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLoadBalancer, type RunningLoadBalancer } from '../../devtools/load-balancer/server';
import { findFreePort } from '../../scripts/lib/ports';

let live: http.Server;
let balancer: RunningLoadBalancer;
const received: { method: string; body: string }[] = [];

beforeAll(async () => {
  live = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: body }));
    });
  });
  await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
  const down = `http://127.0.0.1:${await findFreePort()}`;
  const up = `http://127.0.0.1:${(live.address() as AddressInfo).port}`;
  balancer = await startLoadBalancer({ port: 0, apiUrls: [down, up], workerHealthUrls: [], temporalAddress: '127.0.0.1:1' });
});

afterAll(async () => {
  await balancer?.close();
  await new Promise((resolve) => live?.close(resolve));
});

it('sends a POST the down API refused to the other one, once, with its body', async () => {
  const answers = [];
  // Round robin: one of each two requests is first sent to the down API.
  for (let i = 0; i < 4; i += 1) {
    answers.push(await fetch(`${balancer.url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i }) }));
  }
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  expect(received.filter((request) => request.method === 'POST').map((request) => JSON.parse(request.body).n)).toEqual([0, 1, 2, 3]);
});
