CREATE TABLE `image_variants` (
	`image_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`r2_key` text,
	`content_type` text,
	`width` integer,
	`height` integer,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "variant_status_known" CHECK("image_variants"."status" IN ('queued', 'ready', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_variants_once` ON `image_variants` (`image_id`,`kind`);