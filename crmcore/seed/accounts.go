package seed

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// Account is a demo login created by the seed.
type Account struct {
	Email    string
	Name     string // ФИО
	Role     domain.Role
	Title    string // the job, for printing
	Password string
}

// DemoPassword is the password of every seeded user.
const DemoPassword = "demo"

// Managers is how many sales managers the seed creates:
// manager1@voronka.local … manager30@voronka.local.
const Managers = 30

// DemoAccounts are the logins to print for a newcomer: one per role
// (every manager has the same password as manager1).
var DemoAccounts = []Account{
	{"admin@voronka.local", "Орлов Андрей Викторович", domain.RoleAdmin, "Администратор", DemoPassword},
	{"director@voronka.local", "Белова Ирина Сергеевна", domain.RoleDirector, "Коммерческий директор", DemoPassword},
	{"analyst@voronka.local", "Ковалёв Денис Олегович", domain.RoleAnalyst, "Аналитик", DemoPassword},
	{"manager1@voronka.local", managerNames[0], domain.RoleManager, "Менеджер по продажам", DemoPassword},
}

var managerNames = [Managers]string{
	"Соколов Артём Игоревич", "Кузнецова Мария Андреевна", "Волков Никита Сергеевич",
	"Лебедева Анна Викторовна", "Морозов Илья Павлович", "Смирнова Екатерина Олеговна",
	"Фёдоров Максим Дмитриевич", "Павлова Ольга Николаевна", "Егоров Кирилл Алексеевич",
	"Николаева Дарья Юрьевна", "Захаров Роман Владимирович", "Алексеева Юлия Михайловна",
	"Зайцев Денис Евгеньевич", "Соловьёва Наталья Игоревна", "Борисов Егор Константинович",
	"Романова Светлана Петровна", "Макаров Антон Борисович", "Григорьева Ксения Сергеевна",
	"Орлов Глеб Андреевич", "Яковлева Виктория Романовна", "Никитин Павел Олегович",
	"Медведева Алина Дмитриевна", "Тарасов Вадим Геннадьевич", "Белова Полина Александровна",
	"Гусев Станислав Викторович", "Киселёва Татьяна Валерьевна", "Жуков Олег Степанович",
	"Антонова Елена Васильевна", "Комаров Сергей Леонидович", "Ильина Марина Фёдоровна",
}

// users are the ids of the seeded users, looked up by e-mail.
type users struct {
	admin, director, analyst int64
	managers                 []int64
}

// allAccounts is every seeded user: the demo roles and all the managers.
func allAccounts() []Account {
	out := append([]Account(nil), DemoAccounts[:3]...)
	for i, name := range managerNames {
		email := "manager" + strconv.Itoa(i+1) + "@voronka.local"
		out = append(out, Account{email, name, domain.RoleManager, "Менеджер по продажам", DemoPassword})
	}
	return out
}

// ensureUsers creates the seeded users that do not exist yet (bcrypt runs
// once; every user shares the hash) and returns all their ids.
func ensureUsers(ctx context.Context, pool *pgxpool.Pool, now time.Time) (users, int64, error) {
	const ins = `
INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
ON CONFLICT ((lower(email))) DO NOTHING`
	const get = `SELECT id FROM users WHERE lower(email) = lower($1)`
	hash, err := crmcore.HashPassword(DemoPassword)
	if err != nil {
		return users{}, 0, err
	}
	created := now.Add(-window - 30*24*time.Hour)
	accs := allAccounts()
	ids := make([]int64, len(accs))
	var inserted int64
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for i, a := range accs {
			tag, err := tx.Exec(ctx, ins, a.Email, a.Name, string(a.Role), hash, created)
			if err != nil {
				return fmt.Errorf("user %s: %w", a.Email, err)
			}
			inserted += tag.RowsAffected()
			if err := tx.QueryRow(ctx, get, a.Email).Scan(&ids[i]); err != nil {
				return fmt.Errorf("user %s: %w", a.Email, err)
			}
		}
		return nil
	})
	if err != nil {
		return users{}, 0, fmt.Errorf("seed: users: %w", err)
	}
	return users{admin: ids[0], director: ids[1], analyst: ids[2], managers: ids[3:]}, inserted, nil
}
