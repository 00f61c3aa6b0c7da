// The webview's side of the host connection for the issue views: send a
// message, or send one with a request id and get the host's answer to it.
// (VS Code allows acquireVsCodeApi() once per page: call connect() once.)
interface VsCodeApi<Out> {
  postMessage(message: Out): void;
}
declare function acquireVsCodeApi<Out>(): VsCodeApi<Out>;

export interface Bridge<Out, Result extends { requestId: number }> {
  send(message: Out): void;
  request(build: (requestId: number) => Out, onResult: (result: Result) => void): void;
  /** Hands a host `result` message to whoever asked for it. */
  settle(result: Result): void;
}

export function connect<Out, Result extends { requestId: number }>(): Bridge<Out, Result> {
  const api = acquireVsCodeApi<Out>();
  const pending = new Map<number, (result: Result) => void>();
  let nextRequestId = 1;
  return {
    send: (message) => api.postMessage(message),
    request(build, onResult) {
      const requestId = nextRequestId++;
      pending.set(requestId, onResult);
      api.postMessage(build(requestId));
    },
    settle(result) {
      const handler = pending.get(result.requestId);
      pending.delete(result.requestId);
      handler?.(result);
    },
  };
}
