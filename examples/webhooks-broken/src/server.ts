// The HTTP server the webhook routes are mounted on.
export const routes: string[] = [];
