"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff, RefreshCw } from "lucide-react";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

const MASKED_SECRET = "whsec_••••••••••••••••••••••••";

/** The listener's signing secret: hidden until revealed, copyable, rotatable. */
export function SecretPanel({
  projectId,
  listenerId,
  previousSecretUntil,
}: {
  projectId: string;
  listenerId: string;
  previousSecretUntil: Date | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Fetched only when asked for, so the secret is not in the page until the user wants it.
  const secret = useQuery({
    ...trpc.listener.secret.queryOptions({ projectId, id: listenerId }),
    enabled: revealed,
    staleTime: Infinity,
  });
  const rotate = useMutation(
    trpc.listener.rotateSecret.mutationOptions({
      onSuccess: async (updated) => {
        setError(null);
        queryClient.setQueryData(trpc.listener.get.queryKey({ projectId, id: listenerId }), updated);
        await queryClient.invalidateQueries(trpc.listener.secret.queryFilter({ projectId, id: listenerId }));
        setRevealed(true);
      },
      onError: (rotateError) => setError(rotateError.message),
    }),
  );
  // The clock as the panel first rendered: a render itself must not read it (React's purity rule).
  const [shownAt] = useState(Date.now);
  const rotationActive = previousSecretUntil !== null && previousSecretUntil.getTime() > shownAt;

  return (
    <Card title="Signing secret" titleId="secret-heading">
      <div className="space-y-3 p-4 text-sm">
        <p className="text-zinc-700">
          Receivers check each delivery&apos;s <code className="font-mono">webhook-signature</code> with this
          secret (the SDK&apos;s <code className="font-mono">verifyWebhook</code> does it).
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <code
            className="min-h-9 min-w-0 flex-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs break-all"
            data-testid="listener-secret"
            aria-live="polite"
          >
            {revealed
              ? (secret.data ?? (secret.isError ? "could not load the secret" : "loading…"))
              : MASKED_SECRET}
          </code>
          <Button variant="secondary" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
            {revealed ? <EyeOff aria-hidden className="size-4" /> : <Eye aria-hidden className="size-4" />}
            {revealed ? "Hide" : "Reveal"}
          </Button>
          {revealed && secret.data && (
            <CopyButton text={secret.data} label="Copy" aria-label="Copy the signing secret" />
          )}
          <ConfirmDialog
            trigger={
              <Button variant="secondary">
                <RefreshCw aria-hidden className="size-4" />
                Rotate
              </Button>
            }
            title="Rotate the signing secret?"
            description={
              <p>
                A new secret signs every delivery from now on. The current one keeps signing alongside it for
                24 hours, so your receiver can switch without dropping deliveries.
              </p>
            }
            confirmLabel="Rotate secret"
            busy={rotate.isPending}
            onConfirm={() => rotate.mutate({ projectId, id: listenerId })}
          />
        </div>
        {rotationActive && previousSecretUntil && (
          <p className="text-xs text-zinc-600">
            The previous secret also signs until {formatDateTime(previousSecretUntil)}.
          </p>
        )}
        <FormError message={error} />
      </div>
    </Card>
  );
}
