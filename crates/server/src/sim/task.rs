//! A simulated task and its life: `submitted`, then `processing`, then
//! `succeed` or `failed`, moved along by the clock alone.

use serde_json::{json, Value};
use storyreel_core::cost;

use super::validate::{CreateRoute, TaskSpec};

/// How a task will end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Succeed,
    Fail(String),
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub route: CreateRoute,
    pub spec: TaskSpec,
    pub created_ms: u64,
    pub submit_ms: u64,
    pub process_ms: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Submitted,
    Processing,
    Succeed,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Processing => "processing",
            Status::Succeed => "succeed",
            Status::Failed => "failed",
        }
    }

    /// The current design's word: `succeeded` where the legacy one says
    /// `succeed`.
    pub fn current_str(self) -> &'static str {
        match self {
            Status::Succeed => "succeeded",
            other => other.as_str(),
        }
    }
}

/// A life by the clock, shared by video, element and voice tasks:
/// `submitted` from `created_ms`, `processing` after `submit_ms`, over
/// `process_ms` later, ending as its [`Outcome`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Life {
    pub created_ms: u64,
    pub submit_ms: u64,
    pub process_ms: u64,
    pub outcome: Outcome,
}

impl Life {
    /// When processing starts and when the task ends.
    fn milestones(&self) -> (u64, u64) {
        let started = self.created_ms + self.submit_ms;
        (started, started + self.process_ms)
    }

    pub fn status_at(&self, now_ms: u64) -> Status {
        let (started, done) = self.milestones();
        if now_ms < started {
            Status::Submitted
        } else if now_ms < done {
            Status::Processing
        } else {
            match self.outcome {
                Outcome::Succeed => Status::Succeed,
                Outcome::Fail(_) => Status::Failed,
            }
        }
    }

    /// True until the task ends.
    pub fn running_at(&self, now_ms: u64) -> bool {
        now_ms < self.milestones().1
    }

    pub fn updated_at(&self, now_ms: u64) -> u64 {
        let (started, done) = self.milestones();
        match self.status_at(now_ms) {
            Status::Submitted => self.created_ms,
            Status::Processing => started,
            _ => done,
        }
    }

    /// Why the task failed, once it has (empty otherwise).
    pub fn failure_at(&self, now_ms: u64) -> &str {
        match (&self.outcome, self.status_at(now_ms)) {
            (Outcome::Fail(message), Status::Failed) => message,
            _ => "",
        }
    }
}

impl Task {
    fn life(&self) -> Life {
        Life {
            created_ms: self.created_ms,
            submit_ms: self.submit_ms,
            process_ms: self.process_ms,
            outcome: self.outcome.clone(),
        }
    }

    pub fn status_at(&self, now_ms: u64) -> Status {
        self.life().status_at(now_ms)
    }

    /// True while the task holds a concurrency slot ("from submitted until
    /// it finishes", providers.md §1.10).
    pub fn holds_slot_at(&self, now_ms: u64) -> bool {
        self.life().running_at(now_ms)
    }

    fn updated_at(&self, now_ms: u64) -> u64 {
        self.life().updated_at(now_ms)
    }

    /// The `data` object of a create answer.
    pub fn created_json(&self) -> Value {
        json!({
            "task_id": self.id,
            "task_info": { "external_task_id": self.spec.external_task_id.clone().unwrap_or_default() },
            "task_status": "submitted",
            "created_at": self.created_ms,
            "updated_at": self.created_ms,
        })
    }

    /// The `data` object of a create answer on the current design.
    pub fn current_created_json(&self) -> Value {
        json!({
            "id": self.id,
            "status": Status::Submitted.current_str(),
            "create_time": self.created_ms,
            "update_time": self.created_ms,
            "external_id": self.spec.external_task_id.clone().unwrap_or_default(),
        })
    }

    /// One task as the current design's `/tasks` lists it, whichever
    /// design created it: `outputs` once it succeeded, `billing` only for
    /// what was charged (a failed task charges nothing). The simulator
    /// burns in no watermark: a watermarked copy asked for is the same
    /// file.
    pub fn current_json(&self, now_ms: u64, video_url: &str) -> Value {
        let status = self.status_at(now_ms);
        let message = match (status, &self.outcome) {
            (Status::Failed, Outcome::Fail(message)) => message.clone(),
            _ => String::new(),
        };
        let (outputs, billing) = if status == Status::Succeed {
            (
                json!([{
                    "type": "video",
                    "id": format!("{}-v1", self.id),
                    "url": video_url,
                    "watermark_url": if self.spec.watermark { video_url } else { "" },
                    "duration": self.spec.seconds().to_string(),
                }]),
                json!([{
                    "charge_type": "unit",
                    "amount": cost::units_number(self.spec.unit_tenths),
                    "package_type": "video",
                }]),
            )
        } else {
            (json!([]), json!([]))
        };
        json!({
            "id": self.id,
            "status": status.current_str(),
            "message": message,
            "create_time": self.created_ms,
            "update_time": self.updated_at(now_ms),
            "external_id": self.spec.external_task_id.clone().unwrap_or_default(),
            "outputs": outputs,
            "billing": billing,
        })
    }

    /// The `data` object of a query answer (and an item of a list answer).
    /// `video_url` is where this task's video is served.
    pub fn query_json(&self, now_ms: u64, video_url: &str) -> Value {
        let status = self.status_at(now_ms);
        let mut data = json!({
            "task_id": self.id,
            "task_status": status.as_str(),
            "task_status_msg": "",
            "task_info": { "external_task_id": self.spec.external_task_id.clone().unwrap_or_default() },
            "watermark_info": { "enabled": false },
            "created_at": self.created_ms,
            "updated_at": self.updated_at(now_ms),
        });
        match (status, &self.outcome) {
            (Status::Succeed, _) => {
                data["final_unit_deduction"] = json!(cost::units_number(self.spec.unit_tenths));
                data["task_result"] = json!({ "videos": [{
                    "id": format!("{}-v1", self.id),
                    "url": video_url,
                    "watermark_url": "",
                    "duration": self.spec.seconds().to_string(),
                }]});
            }
            (Status::Failed, Outcome::Fail(message)) => {
                data["task_status_msg"] = json!(message);
                // A failed task consumes nothing.
                data["final_unit_deduction"] = json!("0");
            }
            _ => {}
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::validate::Aspect;
    use storyreel_core::board::Resolution;

    fn task(outcome: Outcome) -> Task {
        Task {
            id: "t1".into(),
            route: CreateRoute::Omni,
            spec: TaskSpec {
                shots: vec![(3, "a".into()), (4, "b".into())],
                resolution: Resolution::P720,
                aspect: Aspect::Wide,
                sound: false,
                external_task_id: Some("key-1".into()),
                unit_tenths: 42,
                watermark: false,
                inputs: Vec::new(),
                elements: Vec::new(),
            },
            created_ms: 1_000,
            submit_ms: 100,
            process_ms: 500,
            outcome,
        }
    }

    #[test]
    fn the_clock_moves_a_task_along() {
        let t = task(Outcome::Succeed);
        assert_eq!(t.status_at(1_000), Status::Submitted);
        assert_eq!(t.status_at(1_100), Status::Processing);
        assert_eq!(t.status_at(1_599), Status::Processing);
        assert_eq!(t.status_at(1_600), Status::Succeed);
        assert!(t.holds_slot_at(1_599));
        assert!(!t.holds_slot_at(1_600));
    }

    #[test]
    fn a_finished_task_reports_its_video_and_units() {
        let data = task(Outcome::Succeed).query_json(2_000, "http://h/v.mp4");
        assert_eq!(data["task_status"], "succeed");
        assert_eq!(data["final_unit_deduction"], "4.2");
        assert_eq!(data["task_result"]["videos"][0]["url"], "http://h/v.mp4");
        assert_eq!(data["task_result"]["videos"][0]["duration"], "7");
        assert_eq!(data["task_info"]["external_task_id"], "key-1");
        assert_eq!(data["updated_at"], 1_600);
    }

    #[test]
    fn the_current_design_reports_outputs_and_billing() {
        let t = task(Outcome::Succeed);
        let early = t.current_json(1_050, "unused");
        assert_eq!(early["status"], "submitted");
        assert_eq!(early["outputs"], json!([]));
        assert_eq!(early["billing"], json!([]));
        let data = t.current_json(2_000, "http://h/v.mp4");
        assert_eq!(data["status"], "succeeded");
        assert_eq!(data["outputs"][0]["url"], "http://h/v.mp4");
        assert_eq!(data["outputs"][0]["duration"], "7");
        assert_eq!(data["outputs"][0]["watermark_url"], "");
        assert_eq!(data["billing"][0]["amount"], "4.2");
        assert_eq!(data["billing"][0]["charge_type"], "unit");
        assert_eq!(data["external_id"], "key-1");
        let failed = task(Outcome::Fail("flagged".into())).current_json(2_000, "unused");
        assert_eq!(failed["status"], "failed");
        assert_eq!(failed["message"], "flagged");
        assert_eq!(failed["billing"], json!([]));
    }

    #[test]
    fn a_failed_task_says_why_and_charges_nothing() {
        let data = task(Outcome::Fail("flagged".into())).query_json(2_000, "unused");
        assert_eq!(data["task_status"], "failed");
        assert_eq!(data["task_status_msg"], "flagged");
        assert_eq!(data["final_unit_deduction"], "0");
        assert!(data.get("task_result").is_none());
    }
}
