import { createAuthClient } from "better-auth/react";

/** better-auth's browser client; its endpoints live at the standard /api/auth. */
export const authClient = createAuthClient();
