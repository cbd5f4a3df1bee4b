import Link from "next/link";
import { Fragment } from "react";

/** Where the page sits: links to its parents, the page itself last. */
export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-zinc-600">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((item, index) => (
          <Fragment key={`${item.label}-${index}`}>
            {index > 0 && (
              <li aria-hidden className="text-zinc-400">
                /
              </li>
            )}
            <li className="min-w-0 break-all">
              {item.href ? (
                <Link href={item.href} className="text-brand-700 underline-offset-2 hover:underline">
                  {item.label}
                </Link>
              ) : (
                <span aria-current="page">{item.label}</span>
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
