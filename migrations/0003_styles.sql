CREATE TABLE `styles` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`visibility` text NOT NULL,
	`status` text NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`components` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "style_visibility_known" CHECK("styles"."visibility" IN ('public', 'private')),
	CONSTRAINT "style_status_known" CHECK("styles"."status" IN ('training', 'quiz', 'ready', 'in_moderation', 'published', 'rejected', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `styles_owner_name` ON `styles` (`owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `styles_library` ON `styles` (`visibility`,`status`);