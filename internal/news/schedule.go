package news

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule says when a newsletter goes out by itself: never (Every ""),
// every day, or every week on Weekday, at At past midnight in the site's
// time zone. Its text form, kept in the database, is "", "daily 07:00" or
// "weekly monday 07:00".
type Schedule struct {
	Every   string // "", "daily" or "weekly"
	Weekday time.Weekday
	At      time.Duration // since midnight, whole minutes
}

// Schedule frequencies.
const (
	EveryDay  = "daily"
	EveryWeek = "weekly"
)

// ParseSchedule reads a schedule's text form.
func ParseSchedule(s string) (Schedule, error) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return Schedule{}, nil
	}
	var sc Schedule
	var at string
	switch {
	case f[0] == EveryDay && len(f) == 2:
		sc.Every, at = EveryDay, f[1]
	case f[0] == EveryWeek && len(f) == 3:
		d, ok := ParseWeekday(f[1])
		if !ok {
			return Schedule{}, fmt.Errorf("schedule %q: no day %q", s, f[1])
		}
		sc.Every, sc.Weekday, at = EveryWeek, d, f[2]
	default:
		return Schedule{}, fmt.Errorf("schedule %q: want daily HH:MM or weekly DAY HH:MM", s)
	}
	var err error
	if sc.At, err = ParseClock(at); err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %w", s, err)
	}
	return sc, nil
}

// ParseWeekday reads a day's English name ("monday", "Mon").
func ParseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if len(s) >= 3 && strings.HasPrefix(name, s) {
			return d, true
		}
	}
	return 0, false
}

// ParseClock reads a time of day, "07:00" or "7:00", as the time since
// midnight.
func ParseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, errors.New("a time of day is HH:MM, from 00:00 to 23:59")
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// String is the schedule's text form.
func (sc Schedule) String() string {
	switch sc.Every {
	case EveryDay:
		return EveryDay + " " + sc.Clock()
	case EveryWeek:
		return EveryWeek + " " + strings.ToLower(sc.Weekday.String()) + " " + sc.Clock()
	}
	return ""
}

// Clock is the time of day, "07:00".
func (sc Schedule) Clock() string {
	return fmt.Sprintf("%02d:%02d", int(sc.At/time.Hour), int(sc.At%time.Hour/time.Minute))
}

// Text says the schedule to a person: "Daily at 07:00".
func (sc Schedule) Text() string {
	switch sc.Every {
	case EveryDay:
		return "Daily at " + sc.Clock()
	case EveryWeek:
		return "Every " + sc.Weekday.String() + " at " + sc.Clock()
	}
	return "Sent by hand"
}

// Last is the latest scheduled time at or before now, in loc; false for
// a schedule that never fires.
func (sc Schedule) Last(now time.Time, loc *time.Location) (time.Time, bool) {
	if sc.Every == "" {
		return time.Time{}, false
	}
	local := now.In(loc)
	day := local
	if sc.Every == EveryWeek {
		day = local.AddDate(0, 0, -int((local.Weekday()-sc.Weekday+7)%7))
	}
	t := sc.on(day, loc)
	if t.After(now) {
		step := 1
		if sc.Every == EveryWeek {
			step = 7
		}
		t = sc.on(day.AddDate(0, 0, -step), loc)
	}
	return t, true
}

// Next is the first scheduled time after now, in loc; false for a
// schedule that never fires.
func (sc Schedule) Next(now time.Time, loc *time.Location) (time.Time, bool) {
	last, ok := sc.Last(now, loc)
	if !ok {
		return time.Time{}, false
	}
	step := 1
	if sc.Every == EveryWeek {
		step = 7
	}
	return sc.on(last.In(loc).AddDate(0, 0, step), loc), true
}

// on is the schedule's time of day on day's date, in loc. (time.Date
// settles a time that a clock change skips or repeats.)
func (sc Schedule) on(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	return time.Date(y, m, d, int(sc.At/time.Hour), int(sc.At%time.Hour/time.Minute), 0, 0, loc)
}
