import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { type HostileRequest, summary } from './hostile-requests';
import { GLOBAL_PROBLEMS, type Operation } from './openapi-operations';

export async function send(http: TestAgent, request: HostileRequest): Promise<Response> {
  const call = http[request.method](request.url).set(request.headers);
  return request.body === undefined ? call : call.send(request.body);
}

/**
 * What is wrong with the answer to a hostile request: it must be a problem (application/problem+json,
 * with `code`, `status` and a `type` naming the code) whose status is one this request deserves and the
 * spec documents for the operation (or globally), and whose code the spec lists for that status. A batch
 * whose every item is invalid is the one 200: each item answered 400 validation_failed.
 */
export function refusalComplaints(op: Operation, request: HostileRequest, response: Response): string[] {
  const complaints = checkRefusal(op, request, response);
  return complaints.map((complaint) => `${summary(request)}: ${complaint}`);
}

function checkRefusal(op: Operation, request: HostileRequest, response: Response): string[] {
  const complaints: string[] = [];
  const { status, body } = response;
  if (!request.expected.includes(status)) complaints.push(`answered ${status}, expected ${request.expected.join(' or ')}`);
  if (request.kind === 'batch item') {
    const results = (body?.results ?? []) as { status: number; code?: string }[];
    if (results.length === 0 || results.some((r) => r.status !== 400 || r.code !== 'validation_failed')) {
      complaints.push(`batch results ${JSON.stringify(results).slice(0, 300)} are not all 400 validation_failed`);
    }
    return complaints;
  }
  const documentedStatus = op.responses.has(status) || GLOBAL_PROBLEMS[status] !== undefined;
  if (status < 400 || status >= 500 || !documentedStatus) complaints.push(`status ${status} is not a documented 4xx of ${op.operationId}`);
  if (!/^application\/problem\+json/.test(response.headers['content-type'] ?? '')) {
    complaints.push(`content-type ${response.headers['content-type']} is not application/problem+json`);
  }
  const codes = [...(op.responses.get(status) ?? []), GLOBAL_PROBLEMS[status]].filter(Boolean);
  if (typeof body?.code !== 'string' || !codes.includes(body.code)) {
    complaints.push(`code ${body?.code} is not one documented for ${status} (${codes.join(', ')})`);
  }
  if (body?.status !== status) complaints.push(`problem status ${body?.status} differs from the HTTP status`);
  if (body?.type !== `urn:ticket-gateway:problem:${body?.code}`) complaints.push(`type ${body?.type} does not name the code`);
  return complaints;
}
