// How much of a file's content an error message repeats: messages are stored and
// broadcast, so they may quote at most 40 characters of the file (issue 10).

/** The longest run of `message` (its mentions of the file's path removed) found in `content`. */
export function longestEcho(message: string, content: string, path: string): number {
  const text = message.split(path).join('');
  let longest = 0;
  // Grow a window while it is found in the content; slide it when it is not.
  for (let i = 0; i + longest < text.length; i++) {
    while (i + longest < text.length && content.includes(text.slice(i, i + longest + 1))) longest++;
  }
  return longest;
}
