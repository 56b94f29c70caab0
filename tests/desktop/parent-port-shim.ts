// STAND-IN for Electron's runtime in a utility process, loaded with --import into a
// forked Node child: the `process.parentPort` Electron gives a utility process
// (`postMessage`, and 'message' events whose `data` is the message), carried over
// Node's IPC channel. As in a real utility process there is no `process.send`, so a
// worker that does not use parentPort cannot answer.
type Listener = (e: { data: unknown }) => void;
const send = process.send!.bind(process);
const port = {
  postMessage(message: unknown): void {
    send(message);
  },
  on(event: string, listener: Listener): void {
    if (event === 'message') process.on('message', (data: unknown) => listener({ data }));
  },
};
(process as unknown as { parentPort: typeof port }).parentPort = port;
process.send = undefined;
