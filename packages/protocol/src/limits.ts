/** Default largest accepted HTTP body, in bytes (1 MiB). Larger bodies are answered with 413. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
