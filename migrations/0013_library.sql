CREATE INDEX `styles_popular` ON `styles` (`visibility`,`status`,`distinct_users`,`id`);
