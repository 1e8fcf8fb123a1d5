CREATE TABLE `licenses` (
	`id` text PRIMARY KEY NOT NULL,
	`image_id` text NOT NULL,
	`holder_id` text NOT NULL,
	`model_id` text NOT NULL,
	`creator_id` text,
	`price` integer NOT NULL,
	`creator_earning` integer DEFAULT 0 NOT NULL,
	`terms` text NOT NULL,
	`image_sha256` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`signature` text NOT NULL,
	`issued_at` text NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `licenses_image_id_unique` ON `licenses` (`image_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `licenses_idempotency` ON `licenses` (`holder_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `licenses_holder` ON `licenses` (`holder_id`,`issued_at`);