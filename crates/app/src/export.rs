//! Exports of lists officers print or open in Excel: the same columns as on screen.

use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use ansinh_domain::access::Permission;
use ansinh_domain::person::{DisabilityLevel, Sex};
use ansinh_store::registry::PersonQuery;

use crate::App;
use crate::context::{Ctx, Lang};
use crate::error::{AppError, AppResult};

/// One exported row. CCCD numbers are masked, as in every list.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub no: usize,
    pub full_name: String,
    pub sex: String,
    pub birth: String,
    pub ethnicity: String,
    pub cccd: String,
    pub commune: String,
    pub hamlet: String,
    pub disability: String,
}

pub const EXPORT_LIMIT: u64 = 200_000;

fn headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Vi => [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Số CCCD",
            "Xã/phường",
            "Ấp/khóm",
            "Khuyết tật",
        ],
        Lang::En => [
            "No.",
            "Full name",
            "Sex",
            "Date of birth",
            "Ethnicity",
            "ID number",
            "Commune",
            "Hamlet",
            "Disability",
        ],
    }
}

fn sex_label(sex: Sex, lang: Lang) -> &'static str {
    match (sex, lang) {
        (Sex::Male, Lang::Vi) => "Nam",
        (Sex::Female, Lang::Vi) => "Nữ",
        (Sex::Male, Lang::En) => "Male",
        (Sex::Female, Lang::En) => "Female",
    }
}

fn disability_label(d: DisabilityLevel, lang: Lang) -> &'static str {
    match (d, lang) {
        (DisabilityLevel::None, _) => "",
        (DisabilityLevel::Mild, Lang::Vi) => "Nhẹ",
        (DisabilityLevel::Severe, Lang::Vi) => "Nặng",
        (DisabilityLevel::EspeciallySevere, Lang::Vi) => "Đặc biệt nặng",
        (DisabilityLevel::Mild, Lang::En) => "Mild",
        (DisabilityLevel::Severe, Lang::En) => "Severe",
        (DisabilityLevel::EspeciallySevere, Lang::En) => "Especially severe",
    }
}

impl App {
    /// The rows of a person search, within the caller's scope, for export.
    pub async fn export_people_rows(&self, ctx: &Ctx, text: &str) -> AppResult<Vec<PersonRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        let graph = self.graph();
        let today = ctx.today();
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let page = self
                .search_people(
                    ctx,
                    &PersonQuery {
                        text: text.into(),
                        limit: 500,
                        offset,
                        ..Default::default()
                    },
                )
                .await?;
            let n = page.items.len() as u64;
            for p in page.items {
                let ethnicity = self
                    .ethnicities()
                    .iter()
                    .find(|(c, _, _)| *c == p.ethnicity_code)
                    .map(|(_, vi, en)| {
                        if ctx.actor.lang == Lang::Vi {
                            vi.clone()
                        } else {
                            en.clone()
                        }
                    })
                    .unwrap_or_default();
                rows.push(PersonRow {
                    no: rows.len() + 1,
                    sex: sex_label(p.sex, ctx.actor.lang).into(),
                    birth: p.birth.display_vi(),
                    ethnicity,
                    cccd: p.cccd.unwrap_or_default(),
                    commune: graph
                        .get(graph.at(p.unit_id, today))
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                    hamlet: p.hamlet,
                    disability: disability_label(p.disability, ctx.actor.lang).into(),
                    full_name: p.full_name,
                });
            }
            offset += n;
            if n < 500 || offset >= EXPORT_LIMIT {
                break;
            }
        }
        Ok(rows)
    }

    /// CSV with a UTF-8 byte-order mark, so that Excel opens Vietnamese text intact.
    pub async fn export_people_csv(&self, ctx: &Ctx, text: &str) -> AppResult<Vec<u8>> {
        let rows = self.export_people_rows(ctx, text).await?;
        let mut out = vec![0xEF, 0xBB, 0xBF];
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            let internal = |e: csv::Error| AppError::Internal(e.to_string());
            writer
                .write_record(headers(ctx.actor.lang))
                .map_err(internal)?;
            for r in &rows {
                writer
                    .write_record([
                        r.no.to_string().as_str(),
                        &r.full_name,
                        &r.sex,
                        &r.birth,
                        &r.ethnicity,
                        &r.cccd,
                        &r.commune,
                        &r.hamlet,
                        &r.disability,
                    ])
                    .map_err(internal)?;
            }
            writer
                .flush()
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        Ok(out)
    }

    pub async fn export_people_xlsx(&self, ctx: &Ctx, text: &str) -> AppResult<Vec<u8>> {
        let rows = self.export_people_rows(ctx, text).await?;
        let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(if ctx.actor.lang == Lang::Vi {
                "Danh sách"
            } else {
                "List"
            })
            .map_err(internal)?;
        for (col, h) in headers(ctx.actor.lang).iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *h, &bold)
                .map_err(internal)?;
        }
        for (i, r) in rows.iter().enumerate() {
            let row = (i + 1) as u32;
            sheet.write_number(row, 0, r.no as f64).map_err(internal)?;
            for (col, value) in [
                &r.full_name,
                &r.sex,
                &r.birth,
                &r.ethnicity,
                &r.cccd,
                &r.commune,
                &r.hamlet,
                &r.disability,
            ]
            .into_iter()
            .enumerate()
            {
                sheet
                    .write_string(row, (col + 1) as u16, value.as_str())
                    .map_err(internal)?;
            }
        }
        sheet.set_column_width(1, 28).map_err(internal)?;
        sheet.set_column_width(6, 24).map_err(internal)?;
        sheet.set_column_width(7, 20).map_err(internal)?;
        workbook.save_to_buffer().map_err(internal)
    }
}
