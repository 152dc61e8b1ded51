package engine

import (
	"time"

	"github.com/voronka/voronka/reports"
)

// kxNow is the clock of the hand-built fixture: 2025-03-01 00:00 UTC.
var kxNow = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// kxJanuary is January 2025 in Moscow: [2024-12-31 21:00, 2025-01-31 21:00) UTC.
var kxJanuary = reports.Period{From: "2025-01-01", To: "2025-01-31"}

// kxFixture is the hand-built fixture every kind's expected numbers are
// worked out from (times UTC). Pipeline fx: new(10%) → qual(30%) →
// prop(60%) → won(100%), pause, lost. Director 100, managers 101 (M1) and
// 102 (M2); M2 observes D1. USD is 99.5 ₽ from 2025-01-10 (90 before).
//
//	D1 M1 1000 RUB  created 01-05 10:00  new → qual 01-06 10:00 → prop 01-08 10:00 → won 01-10 10:00
//	D2 M1 2000 RUB  created 01-06        new → prop 01-07 (qual skipped)
//	D3 M1 100.10 USD created 01-12       new → qual 01-13 → new 01-14 (back) → qual 01-16   (= 9959.95 ₽)
//	D4 M2 4000 RUB  created 01-03        new → qual 01-04 → lost 01-05
//	D5 M2 5000 RUB  created 01-07        new → pause 01-08 → qual 01-10 → prop 01-12
//	D6 M2 6000 RUB  created 01-20        new
//	D7 M1 7000 RUB  created 01-02        new → qual 01-03 → prop 01-04 → lost 01-06
//	D8 M2 8000 RUB  created 2024-12-25   new → qual 01-15
const kxFixture = `
INSERT INTO users (id, email, name, role, password_hash) OVERRIDING SYSTEM VALUE VALUES
    (100, 'dir@fx.local', 'Орлова Марина', 'director', 'x'),
    (101, 'm1@fx.local', 'Иванов Иван', 'manager', 'x'),
    (102, 'm2@fx.local', 'Петрова Анна', 'manager', 'x');
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2025-01-10', 99.5);
INSERT INTO pipelines (id, code, name, entity) OVERRIDING SYSTEM VALUE VALUES (900, 'fx', 'Тестовая воронка', 'deal');
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (901, 900, 'new',   'Новая',       1, 'open',   10,  'Новые'),
    (902, 900, 'qual',  'Квалификация', 2, 'open',   30,  'Квалификация'),
    (903, 900, 'prop',  'Предложение', 3, 'open',   60,  'Предложение'),
    (904, 900, 'won',   'Успех',       4, 'won',    100, 'Победа'),
    (905, 900, 'pause', 'Пауза',       5, 'paused', 0,   'Пауза'),
    (906, 900, 'lost',  'Отказ',       6, 'lost',   0,   'Поражение');
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, source, lost_reason,
                   created_at, updated_at, closed_at) OVERRIDING SYSTEM VALUE VALUES
    (1, 'D1', 900, 904, 1000,   'RUB', 101, 'website',  NULL,     '2025-01-05 10:00Z', '2025-01-10 10:00Z', '2025-01-10 10:00Z'),
    (2, 'D2', 900, 903, 2000,   'RUB', 101, 'call',     NULL,     '2025-01-06 00:00Z', '2025-01-07 00:00Z', NULL),
    (3, 'D3', 900, 902, 100.10, 'USD', 101, 'website',  NULL,     '2025-01-12 00:00Z', '2025-01-16 00:00Z', NULL),
    (4, 'D4', 900, 906, 4000,   'RUB', 102, 'referral', 'Дорого', '2025-01-03 00:00Z', '2025-01-05 00:00Z', '2025-01-05 00:00Z'),
    (5, 'D5', 900, 903, 5000,   'RUB', 102, 'call',     NULL,     '2025-01-07 00:00Z', '2025-01-12 00:00Z', NULL),
    (6, 'D6', 900, 901, 6000,   'RUB', 102, 'website',  NULL,     '2025-01-20 00:00Z', '2025-01-20 00:00Z', NULL),
    (7, 'D7', 900, 906, 7000,   'RUB', 101, 'referral', 'Молчит', '2025-01-02 00:00Z', '2025-01-06 00:00Z', '2025-01-06 00:00Z'),
    (8, 'D8', 900, 902, 8000,   'RUB', 102, 'call',     NULL,     '2024-12-25 00:00Z', '2025-01-15 00:00Z', NULL);
INSERT INTO deal_observers (deal_id, user_id) VALUES (1, 102);
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at) VALUES
    (1, 900, NULL, 901, '2025-01-05 10:00Z'), (1, 900, 901, 902, '2025-01-06 10:00Z'),
    (1, 900, 902, 903, '2025-01-08 10:00Z'), (1, 900, 903, 904, '2025-01-10 10:00Z'),
    (2, 900, NULL, 901, '2025-01-06 00:00Z'), (2, 900, 901, 903, '2025-01-07 00:00Z'),
    (3, 900, NULL, 901, '2025-01-12 00:00Z'), (3, 900, 901, 902, '2025-01-13 00:00Z'),
    (3, 900, 902, 901, '2025-01-14 00:00Z'), (3, 900, 901, 902, '2025-01-16 00:00Z'),
    (4, 900, NULL, 901, '2025-01-03 00:00Z'), (4, 900, 901, 902, '2025-01-04 00:00Z'),
    (4, 900, 902, 906, '2025-01-05 00:00Z'),
    (5, 900, NULL, 901, '2025-01-07 00:00Z'), (5, 900, 901, 905, '2025-01-08 00:00Z'),
    (5, 900, 905, 902, '2025-01-10 00:00Z'), (5, 900, 902, 903, '2025-01-12 00:00Z'),
    (6, 900, NULL, 901, '2025-01-20 00:00Z'),
    (7, 900, NULL, 901, '2025-01-02 00:00Z'), (7, 900, 901, 902, '2025-01-03 00:00Z'),
    (7, 900, 902, 903, '2025-01-04 00:00Z'), (7, 900, 903, 906, '2025-01-06 00:00Z'),
    (8, 900, NULL, 901, '2024-12-25 00:00Z'), (8, 900, 901, 902, '2025-01-15 00:00Z');
INSERT INTO activities (type, subject, owner_id, deal_id, due_at, done_at, created_at) VALUES
    ('call',    'A1',  101, 1,    NULL,                '2025-01-05 12:00Z', '2025-01-05 12:00Z'),
    ('call',    'A2',  101, 2,    NULL,                '2025-01-06 12:00Z', '2025-01-06 12:00Z'),
    ('email',   'A3',  101, 3,    NULL,                '2025-01-13 09:00Z', '2025-01-13 09:00Z'),
    ('meeting', 'A4',  102, 5,    '2025-01-11 10:00Z', '2025-01-11 11:00Z', '2025-01-09 00:00Z'),
    ('meeting', 'A5',  102, 5,    '2025-01-20 10:00Z', NULL,                '2025-01-09 00:00Z'),
    ('task',    'A6',  101, 1,    '2025-01-07 18:00Z', '2025-01-07 12:00Z', '2025-01-06 00:00Z'),
    ('task',    'A7',  101, NULL, '2025-02-15 18:00Z', NULL,                '2025-02-01 00:00Z'),
    ('task',    'A8',  102, NULL, '2025-04-01 18:00Z', NULL,                '2025-02-01 00:00Z'),
    ('call',    'A9',  102, 8,    NULL,                '2024-12-26 12:00Z', '2024-12-26 12:00Z'),
    ('email',   'A10', 102, 4,    NULL,                '2025-01-04 12:00Z', '2025-01-04 12:00Z'),
    ('call',    'A11', 102, NULL, NULL,                '2025-01-20 12:00Z', '2025-01-20 12:00Z');
`
