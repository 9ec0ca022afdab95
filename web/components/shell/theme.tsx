"use client";
import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useEffect, useState } from "react";

export const THEME_STORAGE_KEY = "agentos.theme";
type Theme = "system" | "light" | "dark";
const ORDER: Theme[] = ["system", "light", "dark"];

/** Applies a theme to <html>; `system` follows the OS preference. */
function apply(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    const stored = localStorage.getItem(THEME_STORAGE_KEY) as Theme | null;
    if (stored && ORDER.includes(stored)) setTheme(stored);
  }, []);
  const next = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]!;
  const Icon = theme === "dark" ? MoonIcon : theme === "light" ? SunIcon : MonitorIcon;
  return (
    <button
      type="button"
      className="flex w-full cursor-pointer items-center gap-3 rounded-md px-3 py-2 text-muted-foreground text-sm hover:bg-accent hover:text-accent-foreground"
      aria-label={`Theme: ${theme}. Switch to ${next}`}
      onClick={() => {
        localStorage.setItem(THEME_STORAGE_KEY, next);
        setTheme(next);
        apply(next);
      }}
    >
      <Icon className="size-4" aria-hidden />
      <span className="capitalize">{theme} theme</span>
    </button>
  );
}

/** Runs before paint (inlined in <head>) so the page never flashes the wrong theme. */
export const THEME_SCRIPT = `try{var t=localStorage.getItem("${THEME_STORAGE_KEY}")||"system";if(t==="dark"||(t==="system"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;
