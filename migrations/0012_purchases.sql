-- Hand-edited after drizzle-kit: credit_accounts gains `owed` in place (ADD COLUMN with its
-- CHECK, last, as the schema declares it) rather than by rebuilding the table, and the trigger
-- that stops an owing account spending (a hold placed, or the balance lowered without settling
-- what is owed) is written here, as drizzle's schema has no triggers.
CREATE TABLE `purchases` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`pack_id` text NOT NULL,
	`credits` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`checkout_session_id` text,
	`checkout_url` text,
	`payment_intent_id` text,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`paid_at` text,
	`reversed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "purchase_status_known" CHECK("purchases"."status" IN ('pending', 'paid', 'failed', 'refunded', 'disputed')),
	CONSTRAINT "purchase_credits_positive" CHECK("purchases"."credits" > 0 AND "purchases"."amount" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_idempotency` ON `purchases` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_session` ON `purchases` (`checkout_session_id`);--> statement-breakpoint
CREATE INDEX `purchases_payment_intent` ON `purchases` (`payment_intent_id`);--> statement-breakpoint
CREATE INDEX `purchases_user` ON `purchases` (`user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `credit_accounts` ADD `owed` integer DEFAULT 0 NOT NULL CONSTRAINT "owed_not_negative" CHECK("owed" >= 0);--> statement-breakpoint
CREATE TRIGGER `credit_accounts_no_spending_while_owing` BEFORE UPDATE ON `credit_accounts`
WHEN NEW.`owed` > 0 AND NEW.`owed` = OLD.`owed` AND (NEW.`held` > OLD.`held` OR (NEW.`balance` < OLD.`balance` AND NEW.`held` = OLD.`held`))
BEGIN SELECT RAISE(ABORT, 'account_owing'); END;--> statement-breakpoint
ALTER TABLE `outbox` ADD `next_attempt_at` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `dead_at` text;--> statement-breakpoint
UPDATE `outbox` SET `dead_at` = `created_at` WHERE `sent_at` IS NULL AND `dead_at` IS NULL AND `attempts` >= 5;