import { clsx } from "clsx";
import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 placeholder:text-zinc-500 aria-invalid:border-red-600";

/** Ids tying a control to its hint and error, as `Field` does for inputs. */
function useDescribedControl(id: string | undefined, error: string | undefined, hint: ReactNode) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const describedBy = [error && `${controlId}-error`, hint && `${controlId}-hint`].filter(Boolean).join(" ");
  return {
    controlId,
    controlProps: {
      id: controlId,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": describedBy || undefined,
    },
  };
}

function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

type Labelled = { label: string; error?: string; hint?: ReactNode; hideLabel?: boolean };

/** A control with its label above (visible, or for screen readers only) and its hint and error below. */
function LabelledControl({
  controlId,
  label,
  hideLabel,
  hint,
  error,
  className,
  children,
}: Labelled & { controlId: string; className?: string; children: ReactNode }) {
  return (
    <div className={clsx("space-y-1", className)}>
      <label
        htmlFor={controlId}
        className={hideLabel ? "sr-only" : "block text-sm font-medium text-zinc-800"}
      >
        {label}
      </label>
      {children}
      <HintAndError id={controlId} hint={hint} error={error} />
    </div>
  );
}

export const SelectField = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & Labelled>(
  function SelectField({ label, error, hint, hideLabel, className, id, children, ...props }, ref) {
    const { controlId, controlProps } = useDescribedControl(id, error, hint);
    return (
      <LabelledControl {...{ controlId, label, hideLabel, hint, error, className }}>
        <select ref={ref} {...controlProps} className={inputClass} {...props}>
          {children}
        </select>
      </LabelledControl>
    );
  },
);

export const TextareaField = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement> & Labelled
>(function TextareaField({ label, error, hint, hideLabel, className, id, ...props }, ref) {
  const { controlId, controlProps } = useDescribedControl(id, error, hint);
  return (
    <LabelledControl {...{ controlId, label, hideLabel, hint, error, className }}>
      <textarea ref={ref} {...controlProps} className={clsx(inputClass, "font-mono")} {...props} />
    </LabelledControl>
  );
});

/** A labelled input; its label may be visually hidden (in table-like rows that have column headings). */
export const InputControl = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & Labelled>(
  function InputControl({ label, error, hint, hideLabel, className, id, ...props }, ref) {
    const { controlId, controlProps } = useDescribedControl(id, error, hint);
    return (
      <LabelledControl {...{ controlId, label, hideLabel, hint, error, className }}>
        <input ref={ref} {...controlProps} className={inputClass} {...props} />
      </LabelledControl>
    );
  },
);

export const CheckboxField = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & Labelled>(
  function CheckboxField({ label, error, hint, className, id, ...props }, ref) {
    const { controlId, controlProps } = useDescribedControl(id, error, hint);
    return (
      <div className={clsx("space-y-1", className)}>
        <div className="flex items-start gap-2">
          <input
            ref={ref}
            type="checkbox"
            {...controlProps}
            className="mt-0.5 size-4 rounded border-zinc-400 accent-brand-700"
            {...props}
          />
          <label htmlFor={controlId} className="text-sm font-medium text-zinc-800">
            {label}
          </label>
        </div>
        <div className="pl-6">
          <HintAndError id={controlId} hint={hint} error={error} />
        </div>
      </div>
    );
  },
);
