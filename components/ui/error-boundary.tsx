"use client";

import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  /** What to show instead of the children once they have thrown; `retry` renders them again. */
  fallback: (retry: () => void) => ReactNode;
  /** Runs before a retry (e.g. React Query's error reset, so the failed queries fetch again). */
  onReset?: () => void;
  children: ReactNode;
}

/**
 * Keeps a render or data failure inside the part of the page that failed. React offers error
 * boundaries only as class components; this is the small one the app needs.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The browser console is where a support engineer looks; the server never sees this error.
    console.warn("a panel failed", error.message, info.componentStack?.split("\n", 3).join("\n"));
  }

  private retry = () => {
    this.props.onReset?.();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.retry) : this.props.children;
  }
}
