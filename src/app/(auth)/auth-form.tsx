"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Image from "next/image";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { authClient } from "@/auth-client";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";

const MIN_PASSWORD_LENGTH = 8;

const signInSchema = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});

const signUpSchema = signInSchema.extend({
  name: z.string().trim().min(1, "Tell us your name"),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`),
});

type Values = z.infer<typeof signUpSchema>;
type Mode = "sign-in" | "sign-up";

/** better-auth error codes, mapped to the field they concern and a message for people. */
const authErrors: Record<string, { field?: keyof Values; message: string }> = {
  USER_ALREADY_EXISTS: {
    field: "email",
    message: "An account with this email already exists. Sign in instead.",
  },
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: {
    field: "email",
    message: "An account with this email already exists. Sign in instead.",
  },
  INVALID_EMAIL: { field: "email", message: "Enter a valid email address" },
  PASSWORD_TOO_SHORT: { field: "password", message: `Use at least ${MIN_PASSWORD_LENGTH} characters` },
  INVALID_EMAIL_OR_PASSWORD: { message: "Wrong email or password." },
};

export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    // Sign-in does not ask for a name; its schema simply ignores the field.
    resolver: zodResolver(mode === "sign-up" ? signUpSchema : signInSchema) as never,
    defaultValues: { name: "", email: "", password: "" },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const { error } =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: values.name, email: values.email, password: values.password })
        : await authClient.signIn.email({ email: values.email, password: values.password });
    if (!error) {
      router.push("/");
      router.refresh();
      return;
    }
    const known = error.code ? authErrors[error.code] : undefined;
    if (known?.field) setError(known.field, { message: known.message });
    else setFormError(known?.message ?? error.message ?? "Something went wrong. Try again.");
  });

  const title = mode === "sign-up" ? "Create your Durian account" : "Sign in to Durian";
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <Image src="/logo.svg" alt="Durian" width={125} height={40} unoptimized />
      <h1 className="mt-4 text-2xl font-semibold">{title}</h1>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
        <FormError message={formError} />
        {mode === "sign-up" && (
          <Field label="Name" autoComplete="name" error={errors.name?.message} {...register("name")} />
        )}
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...register("email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          hint={mode === "sign-up" ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
          error={errors.password?.message}
          {...register("password")}
        />
        <Button type="submit" busy={isSubmitting} className="w-full">
          {mode === "sign-up" ? "Create account" : "Sign in"}
        </Button>
      </form>
      <p className="mt-6 text-sm text-zinc-700">
        {mode === "sign-up" ? (
          <>
            Already have an account?{" "}
            <Link className="text-brand-700 underline" href="/sign-in">
              Sign in
            </Link>
          </>
        ) : (
          <>
            New to Durian?{" "}
            <Link className="text-brand-700 underline" href="/sign-up">
              Create an account
            </Link>
          </>
        )}
      </p>
    </main>
  );
}
