import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface PostResult {
  status: number;
  body: string;
  /** Client-side wall time: request written → response fully read. */
  ms: number;
}

/** POSTs JSON on a keep-alive connection (the same client for every bot, so the overhead is equal). */
export function postJson(url: string, payload: unknown): Promise<PostResult> {
  const data = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - start) / 1e6 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}
