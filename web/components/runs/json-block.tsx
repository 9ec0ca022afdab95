import { cn } from "../../lib/cn";
import { formatJson } from "../../lib/format";

export function JsonBlock({ value, className }: { value: unknown; className?: string }) {
  return (
    <pre
      className={cn(
        "max-h-72 overflow-auto whitespace-pre-wrap break-words rounded-md bg-muted p-2 font-mono text-xs",
        className,
      )}
    >
      {formatJson(value) || "—"}
    </pre>
  );
}
