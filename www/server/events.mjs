// The event stream (Server-Sent Events, GET /api/events): integration changes, sync progress and directory
// updates pushed to every open dashboard page. A stream belongs to the admin session that opened it and
// ends with it (expiry or sign-out).

/**
 * @param {{ live: (sessionId: string) => boolean, pingMs?: number }} o `live`: whether a session is still signed in
 */
export function createEvents(o) {
  /** Open streams and the admin session each belongs to. @type {Map<import("node:http").ServerResponse, string>} */
  const streams = new Map();
  const frame = (/** @type {string} */ event, /** @type {unknown} */ data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  return {
    /**
     * Opens a stream on `res` for `sessionId`, sending `first` as its first event; pings keep it open.
     * @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res
     * @param {string} sessionId @param {{ event: string, data: unknown }} first
     */
    open(req, res, sessionId, first) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(frame(first.event, first.data));
      streams.set(res, sessionId);
      const ping = setInterval(() => res.write(": keep-alive\n\n"), o.pingMs ?? 15_000);
      req.on("close", () => {
        clearInterval(ping);
        streams.delete(res);
      });
    },
    /** Sends an event to every stream whose session is still signed in (and ends the others). @param {string} event @param {unknown} data */
    broadcast(event, data) {
      const text = frame(event, data);
      for (const [res, sessionId] of streams) {
        if (o.live(sessionId)) res.write(text);
        else {
          streams.delete(res);
          res.end();
        }
      }
    },
    /** Ends the streams of one session (sign-out). @param {string | undefined} sessionId */
    endSession(sessionId) {
      for (const [res, id] of streams) {
        if (id !== sessionId) continue;
        streams.delete(res);
        res.end();
      }
    },
    /** Ends every stream (shutdown). */
    closeAll() {
      for (const res of streams.keys()) res.end();
    },
  };
}

/** @typedef {ReturnType<typeof createEvents>} Events */
