// The gateway benchmark's HTTP client, used by the main thread and by the lag client's worker.
import { Agent, request } from 'undici'

/**
 * Keep-alive connections, at most 64 to each server, as a client pool of a real front end would
 * hold; requests beyond them wait in the client.
 */
export function httpClient(): Agent {
  return new Agent({ connections: 64, pipelining: 1 })
}

/** A JSON POST; answers the status and the parsed body. */
export async function post(agent: Agent, url: string, headers: Record<string, string>, body: object) {
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> }
}
