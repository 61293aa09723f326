-- Anonymised copyright notices kept '[erased]' as their postal code, which the API's address schema
-- (letters, digits, spaces and hyphens) does not allow; they now read ERASED, as new anonymisations write.
update copyright_notice set postal_code = 'ERASED' where postal_code = '[erased]';
