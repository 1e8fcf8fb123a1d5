CREATE TABLE `credit_accounts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "balance_not_negative" CHECK("credit_accounts"."balance" >= 0),
	CONSTRAINT "held_not_negative" CHECK("credit_accounts"."held" >= 0),
	CONSTRAINT "available_not_negative" CHECK("credit_accounts"."balance" - "credit_accounts"."held" >= 0)
);
--> statement-breakpoint
CREATE TABLE `holds` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`amount` integer NOT NULL,
	`charged` integer DEFAULT 0 NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`ref` text,
	`idempotency_key` text NOT NULL,
	`settle_token` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`settled_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "hold_amount_positive" CHECK("holds"."amount" > 0),
	CONSTRAINT "hold_settles_within_amount" CHECK("holds"."charged" >= 0 AND "holds"."charged" + "holds"."refunded" <= "holds"."amount"),
	CONSTRAINT "hold_status_known" CHECK("holds"."status" IN ('held', 'settled', 'expired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `holds_idempotency` ON `holds` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `holds_open` ON `holds` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`held_change` integer DEFAULT 0 NOT NULL,
	`balance_after` integer NOT NULL,
	`held_after` integer NOT NULL,
	`ref` text,
	`idempotency_key` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_kind_known" CHECK("ledger_entries"."kind" IN ('purchase', 'grant', 'hold', 'charge', 'refund', 'license', 'earning', 'payout'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_id_unique` ON `ledger_entries` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_idempotency` ON `ledger_entries` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ledger_entries_user` ON `ledger_entries` (`user_id`,`seq`);--> statement-breakpoint
CREATE TABLE `login_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` text NOT NULL,
	`consumed_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_codes_email` ON `login_codes` (`email`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`to_email` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_to` ON `outbox` (`to_email`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_unsent` ON `outbox` (`sent_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`family_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`status` text NOT NULL,
	`replaced_by` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_family` ON `sessions` (`family_id`);--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`handle` text,
	`display_name` text,
	`role` text DEFAULT 'user' NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "users_role_known" CHECK("users"."role" IN ('user', 'moderator', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_handle_unique` ON `users` (`handle`);