package demo

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// demoItem is an action item and what became of it: replied by its unit's demo account,
// then closed, cancelled or reopened by the coordinator. Days are counted from the
// meeting's date.
type demoItem struct {
	owner, text string
	due         int    // deadline, days after the meeting
	reply       string // the owner's answer; "" for none
	then        string // "", close, cancel or reopen (after closing)
	reason      string
}

// demoMeeting is a meeting held ago days before today.
type demoMeeting struct {
	ago       int
	kind      domain.MeetingKind
	title     string
	decisions string
	items     []demoItem
}

// meetings are the demo city's recent dispatch meetings, with items in every state:
// closed, replied and awaiting closure, open, cancelled, reopened, some past their deadline.
var meetings = []demoMeeting{
	{75, domain.MeetingMonthly, "全市工业倍增暨招商引资%d月调度会",
		"一、各地对照年度目标，查找差距，倒排工期。\n二、签约未开工项目逐个落实开工条件。\n三、市直部门围绕项目用地、审批开辟绿色通道。",
		[]demoItem{
			{"369901", "东湖区梳理签约未开工项目清单，逐个明确开工时间", 15, "已梳理签约未开工项目12个，均已明确开工时间并报倍增办。", "close", ""},
			{"369902", "西山区补报一季度亿元以上项目佐证材料", 10, "已补报合同及注册材料。", "close", ""},
			{"D02", "市工信局牵头梳理规上工业企业升规入统后备库", 20, "已建立后备库，入库企业46家。", "close", ""},
			{"369921", "南溪县落实两个签约项目的用地指标", 20, "", "cancel", "已并入市自然资源局专题事项统一办理"},
		}},
	{45, domain.MeetingMonthly, "全市工业倍增暨招商引资%d月调度会",
		"一、四季度是冲刺阶段，各地要确保亿元以上项目开工率不低于70%。\n二、对连续两月进度滞后的单位由市领导约谈。",
		[]demoItem{
			{"369901", "东湖区推进3个亿元以上项目月底前开工", 14, "已开工2个，第3个因设备到货延迟，预计下月开工。", "reopen", "现场核查第3个项目尚未开工，请继续推进并重新答复"},
			{"369902", "西山区排查园区闲置土地并提出处置方案", 20, "已排查闲置土地5宗、共计186亩，处置方案已报区政府。", "", ""},
			{"369981", "北岭市补齐招商项目到位资金台账", 15, "", "", ""},
			{"P369901", "东湖高新区提交标准厂房建设进度", 10, "", "close", ""},
		}},
	{16, domain.MeetingMonthly, "全市工业倍增暨招商引资%d月调度会",
		"一、各地务必在年底前完成年度目标任务。\n二、落实“一项目一专班”，问题清单化销号管理。",
		[]demoItem{
			{"369901", "东湖区报送年度目标完成情况预判及缺口弥补措施", 10, "预计工业营业收入可完成年度目标的102%，缺口指标已制定弥补措施。", "", ""},
			{"369902", "西山区落实两个5020候选项目申报材料", 30, "", "", ""},
			{"369921", "南溪县解决重点项目施工用电问题", 7, "", "", ""},
			{"D02", "市工信局组织企业参加产业链对接会", 25, "已于本月组织对接会一场，签订意向协议8份。", "", ""},
		}},
	{6, domain.MeetingSpecial, "项目用地保障专题调度会",
		"一、市自然资源局会同各县区建立项目用地需求清单。\n二、对批而未供土地限期消化。",
		[]demoItem{
			{"D04", "市自然资源局建立全市项目用地需求清单", 20, "", "", ""},
			{"369981", "北岭市制定批而未供土地消化计划", 24, "", "", ""},
		}},
}

// loadMeetings records the demo meetings and their items, replied to by the demo
// accounts of the owner units (东湖区 reporter, 西山区 reporter2, 市工信局 handler).
func loadMeetings(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, now time.Time) error {
	repliers := map[string]domain.Actor{}
	for code, username := range map[string]string{"369901": "reporter", "369902": "reporter2", "D02": "handler"} {
		u, err := st.FindUserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("demo replier %s: %w", username, err)
		}
		repliers[code] = domain.Actor{User: u, Via: actor.Via, IP: actor.IP}
	}
	today := now.In(domain.ChinaTime)
	for _, dm := range meetings {
		held := today.AddDate(0, 0, -dm.ago)
		period := time.Date(held.Year(), held.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
		title := dm.title
		if dm.kind == domain.MeetingMonthly {
			title = fmt.Sprintf(dm.title, int(held.Month()))
		}
		m := &domain.Meeting{HeldOn: held.Format(time.DateOnly), Kind: dm.kind, Year: period.Year(), Month: int(period.Month()),
			Title: title, Attendees: "市政府分管副市长\n市倍增办\n各县（市、区）、园区分管负责同志\n市直有关部门负责同志", Decisions: dm.decisions}
		if err := st.CreateMeeting(ctx, actor, m); err != nil {
			return fmt.Errorf("demo meeting %s: %w", title, err)
		}
		for _, di := range dm.items {
			a := &domain.ActionItem{MeetingID: m.ID, Text: di.text, OwnerUnitID: ids[di.owner], Deadline: held.AddDate(0, 0, di.due).Format(time.DateOnly)}
			if err := st.CreateActionItem(ctx, actor, a); err != nil {
				return fmt.Errorf("demo action item %s: %w", di.text, err)
			}
			if err := demoItemLife(ctx, st, actor, repliers[di.owner], a, di); err != nil {
				return fmt.Errorf("demo action item %s: %w", di.text, err)
			}
		}
	}
	return nil
}

// demoItemLife replies to, then closes, cancels or reopens an item as the spec says.
func demoItemLife(ctx context.Context, st *store.Store, coordinator, replier domain.Actor, a *domain.ActionItem, di demoItem) error {
	version := a.Version
	step := func(who domain.Actor, verb, text string) error {
		after, err := st.ChangeActionItemStatus(ctx, who, a.ID, version, verb, text)
		if err == nil {
			version = after.Version
		}
		return err
	}
	if di.reply != "" {
		if err := step(replier, domain.ActionVerbReply, di.reply); err != nil {
			return err
		}
	}
	switch di.then {
	case domain.ActionVerbClose, domain.ActionVerbCancel:
		return step(coordinator, di.then, di.reason)
	case domain.ActionVerbReopen:
		if err := step(coordinator, domain.ActionVerbClose, ""); err != nil {
			return err
		}
		return step(coordinator, domain.ActionVerbReopen, di.reason)
	}
	return nil
}
