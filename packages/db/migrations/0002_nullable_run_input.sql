PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`agent_id` text,
	`workflow_id` text,
	`conversation_id` text,
	`input` text,
	`output` text,
	`error` text,
	`usage` text NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`cancel_requested` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_runs`("id", "workspace_id", "kind", "status", "agent_id", "workflow_id", "conversation_id", "input", "output", "error", "usage", "cost_usd", "created_at", "updated_at", "started_at", "finished_at", "lease_owner", "lease_expires_at", "cancel_requested") SELECT "id", "workspace_id", "kind", "status", "agent_id", "workflow_id", "conversation_id", "input", "output", "error", "usage", "cost_usd", "created_at", "updated_at", "started_at", "finished_at", "lease_owner", "lease_expires_at", "cancel_requested" FROM `runs`;--> statement-breakpoint
DROP TABLE `runs`;--> statement-breakpoint
ALTER TABLE `__new_runs` RENAME TO `runs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `runs_ws_created` ON `runs` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status_lease` ON `runs` (`status`,`lease_expires_at`);--> statement-breakpoint
CREATE INDEX `runs_ws_agent` ON `runs` (`workspace_id`,`agent_id`);