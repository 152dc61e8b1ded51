-- +goose Up
-- The three pipelines of the domain we serve: Bitrix24-style leads and sales
-- deals, and the "interest to contract" process of a Service Desk CRM.
INSERT INTO pipelines (code, name, entity) VALUES
    ('leads', 'Лиды', 'lead'),
    ('sales', 'Продажи', 'deal'),
    ('interest', 'Проявление интереса', 'deal');

INSERT INTO stages (pipeline_id, code, name, position, kind, probability, stage_group)
SELECT p.id, s.code, s.name, s.position, s.kind, s.probability, s.stage_group
FROM (VALUES
    ('leads', 'new',           'Не обработан',          1, 'open',   0,   'Новые'),
    ('leads', 'interested',    'Есть интерес',          2, 'open',   50,  'В работе'),
    ('leads', 'paused',        'Пауза',                 3, 'paused', 0,   'Пауза'),
    ('leads', 'disqualified',  'Дисквалифицирован',     4, 'lost',   0,   'Дисквалифицированы'),
    ('leads', 'converted',     'Сделка',                5, 'won',    100, 'Сделка'),

    ('sales', 'new',           'Не обработана',         1, 'open',   0,   'Обработка'),
    ('sales', 'first_contact', 'Первичный контакт',     2, 'open',   20,  'Квалификация'),
    ('sales', 'needs',         'Сбор потребностей',     3, 'open',   20,  'Квалификация'),
    ('sales', 'presentation',  'Презентация',           4, 'open',   40,  'Развитие'),
    ('sales', 'proposal',      'Подготовка КП',         5, 'open',   40,  'Развитие'),
    ('sales', 'prototype',     'Прототип',              6, 'open',   40,  'Развитие'),
    ('sales', 'decision',      'Принятие решения',      7, 'open',   60,  'Подтверждение'),
    ('sales', 'won',           'Завершена',             8, 'won',    100, 'Победа'),
    ('sales', 'paused',        'Пауза',                 9, 'paused', 0,   'Пауза'),
    ('sales', 'refused',       'Отказ',                10, 'lost',   0,   'Поражение'),
    ('sales', 'dropped',       'Отсев',                11, 'lost',   0,   'Поражение'),

    ('interest', 'new',           'Новый',               1, 'open', 10,  'Интерес'),
    ('interest', 'choice',        'Выбор',               2, 'open', 30,  'Выбор'),
    ('interest', 'invoicing',     'Выставление счета',   3, 'open', 60,  'Счёт'),
    ('interest', 'paid',          'Оплачен',             4, 'open', 80,  'Оплата'),
    ('interest', 'awaiting_docs', 'Ожидание документов', 5, 'open', 90,  'Документы'),
    ('interest', 'client',        'Клиент',              6, 'won',  100, 'Клиент'),
    ('interest', 'contract_work', 'Работа по договору',  7, 'won',  100, 'Клиент'),
    ('interest', 'refused',       'Отказ',               8, 'lost', 0,   'Отказ')
) AS s (pipeline, code, name, position, kind, probability, stage_group)
JOIN pipelines p ON p.code = s.pipeline;

-- Sales: forward one or two steps, back one, pause, refuse or drop from any
-- open stage; only "Принятие решения" closes as won; a paused deal resumes
-- at any open stage; a lost deal may be reopened at the start.
INSERT INTO stage_transitions (pipeline_id, from_stage_id, to_stage_id)
SELECT p.id, f.id, t.id
FROM (VALUES
    ('leads', 'new', 'interested'), ('leads', 'new', 'paused'),
    ('leads', 'new', 'disqualified'), ('leads', 'new', 'converted'),
    ('leads', 'interested', 'paused'), ('leads', 'interested', 'disqualified'),
    ('leads', 'interested', 'converted'),
    ('leads', 'paused', 'interested'), ('leads', 'paused', 'disqualified'),
    ('leads', 'paused', 'converted'),

    ('interest', 'new', 'choice'), ('interest', 'new', 'refused'),
    ('interest', 'choice', 'invoicing'), ('interest', 'choice', 'refused'),
    ('interest', 'invoicing', 'paid'), ('interest', 'invoicing', 'refused'),
    ('interest', 'paid', 'awaiting_docs'),
    ('interest', 'awaiting_docs', 'client'),
    ('interest', 'client', 'contract_work'),
    ('interest', 'contract_work', 'invoicing'),

    ('sales', 'decision', 'won'),
    ('sales', 'refused', 'new'), ('sales', 'dropped', 'new')
) AS x (pipeline, from_code, to_code)
JOIN pipelines p ON p.code = x.pipeline
JOIN stages f ON f.pipeline_id = p.id AND f.code = x.from_code
JOIN stages t ON t.pipeline_id = p.id AND t.code = x.to_code;

-- Sales: the generated part of the graph among open stages (positions 1–7).
INSERT INTO stage_transitions (pipeline_id, from_stage_id, to_stage_id)
SELECT p.id, f.id, t.id
FROM pipelines p
JOIN stages f ON f.pipeline_id = p.id AND f.kind = 'open'
JOIN stages t ON t.pipeline_id = p.id
WHERE p.code = 'sales'
  AND (   (t.kind = 'open' AND t.position IN (f.position + 1, f.position + 2, f.position - 1))
       OR t.code IN ('paused', 'refused', 'dropped'));

INSERT INTO stage_transitions (pipeline_id, from_stage_id, to_stage_id)
SELECT p.id, f.id, t.id
FROM pipelines p
JOIN stages f ON f.pipeline_id = p.id AND f.code = 'paused'
JOIN stages t ON t.pipeline_id = p.id AND t.kind = 'open'
WHERE p.code = 'sales';

-- +goose Down
DELETE FROM pipelines WHERE code IN ('leads', 'sales', 'interest');
