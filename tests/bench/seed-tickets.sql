-- Open tickets for the "features" load (issue #30, target 5) and the timer-scan plan test
-- (tests/SupportTicket.Server.Tests/Lifecycle/TimerScanPlanTests.cs): one statement that both SQLite and PostgreSQL
-- run, on a database the server has migrated. Placeholders, replaced by the caller: @COUNT@ tickets, @NOW@ (unix
-- seconds), @FIRST@ (seconds from now to the first due time), @SPREAD@ (seconds the due times are spread over).
-- Half are OPEN with a first-response SLA due, half WAITING with an auto-close warning due (the close 24 h later),
-- spread evenly, so about @COUNT@ / @SPREAD@ timers fall due a second. Lines starting "--pg " are PostgreSQL's only.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @COUNT@)
INSERT INTO tickets (id, number, user_id, username, email, topic, description, status, user_role, support_role,
  issue_level, created_at, updated_at, public_updated_at, last_seq, sla_first_response_due_at, auto_close_warn_at, auto_close_at)
SELECT '5eed00000000000000000' || (10000000000 + i),
  (SELECT COALESCE(MAX(number), 0) FROM tickets) + i,
  'seed-u' || (i % 20000), 'seed user', NULL, 'seeded', 'a seeded open ticket',
  CASE WHEN i % 2 = 0 THEN 'OPEN' ELSE 'WAITING' END, 'CUSTOMER', 'GENERAL', 'NORMAL',
  @NOW@, @NOW@, @NOW@, 0,
  CASE WHEN i % 2 = 0 THEN @NOW@ + @FIRST@ + CAST(i AS BIGINT) * @SPREAD@ / @COUNT@ END,
  CASE WHEN i % 2 = 1 THEN @NOW@ + @FIRST@ + CAST(i AS BIGINT) * @SPREAD@ / @COUNT@ END,
  CASE WHEN i % 2 = 1 THEN @NOW@ + @FIRST@ + CAST(i AS BIGINT) * @SPREAD@ / @COUNT@ + 86400 END
FROM n;
-- SQLite numbers tickets from this row, PostgreSQL from the sequence (Storage/TicketNumbers.cs).
UPDATE counters SET value = (SELECT MAX(number) FROM tickets) WHERE name = 'ticket_number';
--pg SELECT setval('ticket_number_seq', (SELECT MAX(number) FROM tickets));
ANALYZE tickets;
