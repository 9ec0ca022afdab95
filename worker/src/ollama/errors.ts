import { NotFound, type OllamaPullError, Unavailable } from "@agentos/core";

/** Ollama did not answer at all (refused, reset, timed out). */
export class OllamaUnreachable extends Unavailable {
  constructor(baseUrl: string, cause: unknown) {
    const why =
      cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : "";
    super(
      `Ollama at ${baseUrl} did not answer${why ? ` (${why})` : ""}. Start it (\`ollama serve\`, or POST /api/ollama/install for the managed container) or point OLLAMA_HOST at a running one.`,
      { cause },
    );
  }
}

/** Ollama has no model of that name on disk. */
export class OllamaModelNotFound extends NotFound {
  constructor(name: string, baseUrl: string) {
    super("Ollama model", name);
    this.message = `Ollama at ${baseUrl} has no model "${name}": pull it first (POST /api/ollama/models {"name": "${name}"}) or pick one GET /api/ollama/models lists.`;
  }
}

/**
 * What an `{"error": …}` from Ollama means. ENOSPC reaches the stream as Go's `write <path>: no space
 * left on device` (server/download.go returns it at once); a name the registry does not know as
 * `pull model manifest: file does not exist` (images.go maps the registry's 404 to os.ErrNotExist).
 */
export function classifyOllamaError(message: string): "disk_full" | "model_not_found" | "ollama_error" {
  if (/no space left on device|not enough space|disk full/i.test(message)) return "disk_full";
  if (/pull model manifest: file does not exist|manifest unknown|not found/i.test(message)) {
    return "model_not_found";
  }
  return "ollama_error";
}

/** A pull failure with a message that says what happened and what to do. */
export function pullError(code: OllamaPullError["code"], model: string, detail: string): OllamaPullError {
  switch (code) {
    case "model_not_found":
      return {
        code,
        resumable: false,
        message: `"${model}" is not in the Ollama library (Ollama: ${detail}). Check the name and tag at https://ollama.com/library.`,
      };
    case "disk_full":
      return {
        code,
        resumable: true,
        message: `Out of disk space while pulling "${model}" (Ollama: ${detail}). Free space on the disk that holds Ollama's models, or delete models you do not use, then pull again: the download resumes where it stopped.`,
      };
    case "interrupted":
      return {
        code,
        resumable: true,
        message: `The pull of "${model}" was interrupted (${detail}). Pull it again to resume: Ollama keeps the partial download.`,
      };
    case "unreachable":
      return {
        code,
        resumable: true,
        message: `Ollama stopped answering while pulling "${model}" (${detail}). Once it runs again, pull again to resume.`,
      };
    case "ollama_error":
      return { code, resumable: true, message: `Ollama failed to pull "${model}": ${detail}` };
  }
}
