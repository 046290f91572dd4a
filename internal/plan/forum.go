package plan

import (
	"context"
	"sort"
	"strconv"

	"tambon/internal/apperr"
)

// SourceForum marks a problem a village added itself at its forum
// (เวทีประชาคม): the survey does not show it, and it comes into the plan
// with the village's words and no households behind it.
const SourceForum = "forum"

// DisagreeBy is how far apart a village's rank and the survey's rank of a
// problem may be before the plan flags them as disagreeing.
const DisagreeBy = 3

// VillageRanking is one village forum's ranking of its problems, as a plan
// reads it beside the survey's.
type VillageRanking struct {
	ActivityID int64
	Village    string      // the village's area code
	Label      apperr.Text // where and when: "ประชาคมหมู่ 4, 1 มี.ค. 2564"
	Problems   []RankedProblem
	// SurveyRanks ranks the village's problems as its own survey does (by
	// the households behind them in the village, SurveyRanks): the order
	// the village's rank is compared with.
	SurveyRanks map[string]int
}

// RankedProblem is one problem of a village's ranking.
type RankedProblem struct {
	Source, Code string // the survey's source and key; a village-added one is SourceForum and ForumCode
	Title        apperr.Text
	Rank         int
	Votes        int
	Added        bool // the village added it: the survey does not show it
}

// Key is source:code.
func (p RankedProblem) Key() string { return p.Source + ":" + p.Code }

// VillageMark is what a plan shows of one village's ranking beside one of
// its problems.
type VillageMark struct {
	ActivityID int64
	Label      apperr.Text
	Rank       int
	Votes      int
	SurveyRank int  // the problem's rank by the village's survey, 0 when the survey does not show it
	Disagree   bool // the ranks differ by DisagreeBy or more, or the survey does not show it
}

// SurveyRanks ranks problems by the households behind them, most first
// (1 is the most); keys are source:code. Problems with no households
// (the village's own) get no rank.
func SurveyRanks(keys []string, households []int) map[string]int {
	idx := make([]int, 0, len(keys))
	for i := range keys {
		if households[i] > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return households[idx[a]] > households[idx[b]] })
	out := map[string]int{}
	for r, i := range idx {
		if _, ok := out[keys[i]]; !ok {
			out[keys[i]] = r + 1
		}
	}
	return out
}

// Beside matches villages' rankings to problems by key: for each key the
// villages that ranked it, with their rank beside their own survey's and
// whether the two disagree.
func Beside(rankings []VillageRanking) map[string][]VillageMark {
	out := map[string][]VillageMark{}
	for _, vr := range rankings {
		for _, p := range vr.Problems {
			m := VillageMark{ActivityID: vr.ActivityID, Label: vr.Label, Rank: p.Rank, Votes: p.Votes, SurveyRank: vr.SurveyRanks[p.Key()]}
			m.Disagree = m.SurveyRank == 0 || abs(m.SurveyRank-m.Rank) >= DisagreeBy
			out[p.Key()] = append(out[p.Key()], m)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// ForumCode is the plan's code of a problem a village added: the forum's
// activity and the problem's own code, so two villages' "v1" stay apart.
func ForumCode(activityID int64, code string) string {
	return strconv.FormatInt(activityID, 10) + "-" + code
}

// ForumSource proposes the problems villages added at their forums, for a
// plan of the round the forums were shown: each with the village's words
// and its rank there. The survey's problems the villages ranked are
// proposed by their own sources; the plan shows the villages' ranks beside
// them (Beside).
type ForumSource struct {
	// Rankings are the latest forum of each village within area that was
	// shown the round.
	Rankings func(ctx context.Context, round, area string) ([]VillageRanking, error)
}

// Name is SourceForum.
func (ForumSource) Name() string { return SourceForum }

// Propose lists the problems villages added, in their villages' order and
// by rank.
func (src ForumSource) Propose(ctx context.Context, round, area string) ([]Proposal, error) {
	rs, err := src.Rankings(ctx, round, area)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, vr := range rs {
		for _, p := range vr.Problems {
			if !p.Added {
				continue
			}
			out = append(out, Proposal{Source: SourceForum, Code: p.Code, Title: p.Title,
				Detail: vr.Label.TH + " · อันดับ " + strconv.Itoa(p.Rank)})
		}
	}
	return out, nil
}
