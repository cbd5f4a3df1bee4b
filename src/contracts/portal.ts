import { z } from "zod";
import { idSchema, storableString, timestampSchema } from "./common";

/**
 * The customer portal: links an app's server asks for, one customer at a time, and the project's
 * settings for the pages those links open (which origins may frame them, and how they look).
 */

/** The header the portal's pages send their link's token in, with every call (never a cookie). */
export const PORTAL_TOKEN_HEADER = "x-durian-portal-token";

export const MAX_CUSTOMER_LENGTH = 200;
export const DEFAULT_PORTAL_LINK_SECONDS = 60 * 60;
export const MAX_PORTAL_LINK_SECONDS = 7 * 24 * 60 * 60;
export const MIN_PORTAL_LINK_SECONDS = 1;
export const MAX_PORTAL_ORIGINS = 20;
export const MAX_PORTAL_NAME_LENGTH = 100;
export const MAX_PORTAL_LOGO_URL_LENGTH = 2048;

/** The app's own id for one of its customers, as the app chooses it (trimmed). */
export const customerSchema = storableString()
  .trim()
  .min(1, "a customer tag cannot be blank")
  .max(MAX_CUSTOMER_LENGTH, `at most ${MAX_CUSTOMER_LENGTH} characters`)
  .meta({
    description: "The app's own id for the customer a listener belongs to (its portal shows only theirs)",
    example: "cus_42",
  });

/** Why a value is not an exact `scheme://host[:port]` origin, or null. */
export function originProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected an origin such as https://app.example.com";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http and https origins";
  if (url.origin !== value) {
    return `expected exactly scheme://host[:port], lower case, no path or trailing slash (${url.origin})`;
  }
  return null;
}

export const portalOriginSchema = storableString().superRefine((value, ctx) => {
  const problem = originProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const hexColourSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "expected a colour as #rrggbb")
  .overwrite((colour) => colour.toLowerCase());

function logoUrlProblem(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? null : "only http and https URLs";
  } catch {
    return "expected a URL such as https://app.example.com/logo.svg";
  }
}

export const portalThemeSchema = z
  .object({
    name: storableString()
      .trim()
      .max(MAX_PORTAL_NAME_LENGTH, `at most ${MAX_PORTAL_NAME_LENGTH} characters`)
      .optional()
      .meta({ description: "Heads the portal's pages; default: the project's name" }),
    logoUrl: storableString()
      .max(MAX_PORTAL_LOGO_URL_LENGTH)
      .superRefine((value, ctx) => {
        const problem = logoUrlProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .meta({ description: "An image shown beside the name" }),
    primaryColor: hexColourSchema.optional().meta({ description: "Buttons and links, #rrggbb" }),
    backgroundColor: hexColourSchema.optional().meta({ description: "The page's background, #rrggbb" }),
  })
  .meta({ id: "PortalTheme" });
export type PortalTheme = z.output<typeof portalThemeSchema>;

/** Body of `PUT /api/v1/portal/settings`, and its answer. */
export const portalSettingsSchema = z
  .object({
    allowedOrigins: z
      .array(portalOriginSchema)
      .max(MAX_PORTAL_ORIGINS, `at most ${MAX_PORTAL_ORIGINS} origins`)
      .refine((origins) => new Set(origins).size === origins.length, "an origin is listed twice")
      .meta({
        description:
          "Origins (`scheme://host[:port]`) whose pages may show the portal in an iframe; empty: none may",
        example: ["https://app.example.com"],
      }),
    theme: portalThemeSchema.default({}),
  })
  .meta({ id: "PortalSettings" });
export type PortalSettingsInput = z.input<typeof portalSettingsSchema>;
export type PortalSettings = z.output<typeof portalSettingsSchema>;

/** Body of `POST /api/v1/portal/links`. */
export const createPortalLinkSchema = z
  .object({
    customer: customerSchema,
    expiresIn: z
      .number()
      .int()
      .min(MIN_PORTAL_LINK_SECONDS, `at least ${MIN_PORTAL_LINK_SECONDS} second`)
      .max(MAX_PORTAL_LINK_SECONDS, `at most ${MAX_PORTAL_LINK_SECONDS} seconds (7 days)`)
      .default(DEFAULT_PORTAL_LINK_SECONDS)
      .meta({ description: "Seconds until the link stops working; default an hour, at most 7 days" }),
  })
  .meta({ id: "CreatePortalLink" });
export type CreatePortalLinkInput = z.input<typeof createPortalLinkSchema>;
export type CreatePortalLink = z.output<typeof createPortalLinkSchema>;

export const portalLinkSchema = z
  .object({
    id: idSchema,
    customer: z.string(),
    expiresAt: timestampSchema,
    revokedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: "PortalLink" });

export const createdPortalLinkSchema = portalLinkSchema
  .extend({
    url: z.string().meta({
      description:
        "The portal page to open (or put in an iframe); it carries the token, shown only this once",
      example: "https://durian.example.com/portal/dpl_…",
    }),
  })
  .meta({ id: "CreatedPortalLink" });

export const listPortalLinksQuerySchema = z.object({
  customer: customerSchema.optional().meta({ description: "Only this customer's links" }),
});
export type ListPortalLinksQuery = z.output<typeof listPortalLinksQuerySchema>;

export const portalLinkListSchema = z
  .object({ items: z.array(portalLinkSchema) })
  .meta({ id: "PortalLinkList" });
