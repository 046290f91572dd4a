-- Where a phone's photo was taken (its EXIF GPS), read on arrival before its
-- metadata are stripped and kept apart, so that a submission accepted from
-- the review queue puts its photos on the household's page with their place,
-- as a submission written on arrival does. NULL when the camera did not say.

ALTER TABLE submission_media ADD COLUMN lat DOUBLE PRECISION;

ALTER TABLE submission_media ADD COLUMN lon DOUBLE PRECISION;
