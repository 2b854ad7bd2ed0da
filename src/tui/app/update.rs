//! How an action changes the app: `App::update`, the one place state changes, with the moves
//! it is made of (selecting, finding the next like row, scrolling the detail pane) and what an
//! open popup's reply asks for.

use super::*;

impl App {
    fn select(&mut self, i: usize) {
        self.moved = true;
        let before = self.rows.get(self.selected).map(|r| r.bounce);
        self.selected = i.min(self.rows.len().saturating_sub(1));
        if self.rows.get(self.selected).map(|r| r.bounce) != before {
            self.detail_scroll = 0;
        }
        self.ensure_rendered();
    }

    /// Move to the next (previous) row like the selected one, wrapping around: any row while a
    /// search is on (every visible row matches it), else a row of the same category.
    fn select_like(&mut self, forward: bool) {
        let n = self.rows.len();
        let Some(here) = self.rows.get(self.selected).copied() else { return };
        let reason = |r: RowRef| self.index.reason(r);
        let found = (1..n)
            .map(|step| if forward { (self.selected + step) % n } else { (self.selected + n - step) % n })
            .find(|&i| !self.search.is_empty() || reason(self.rows[i]) == reason(here));
        if let Some(i) = found {
            self.select(i);
        }
    }

    /// Run `command` on the selected message once the reader has read it.
    fn run_on_selected(&mut self, command: String, pager: bool) {
        if let Some(row) = self.rows.get(self.selected).copied() {
            self.reader.ask(row.bounce, Want::Bytes, &self.bounces.get(row.bounce));
            self.waiting_job = Some((row.bounce, command, pager));
        }
    }

    /// The command to run outside the TUI now, if one is ready (the TUI's loop runs it).
    pub fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// Scroll the detail pane by `lines` (down when positive), within its text.
    fn scroll_detail(&mut self, lines: i32) {
        let now = i32::from(self.detail_scroll.min(self.detail_max.get()));
        self.detail_scroll = (now + lines).clamp(0, i32::from(self.detail_max.get())) as u16;
    }

    /// A page of the detail pane, in lines.
    fn detail_page(&self) -> i32 {
        i32::from(self.detail_area.get().height.saturating_sub(2).max(1))
    }

    fn page(&self) -> usize {
        (self.list_area.get().height as usize).saturating_sub(1).max(1)
    }

    /// Apply an action. The only place state changes.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Input(_) | Action::Backspace) {
            self.notice = None;
        }
        // The open overlay is taken out and given the key; what it replies is carried out (a raw
        // message can be 16 MB: it is moved, never copied).
        if let Some(overlay) = self.overlay.take() {
            let reply = overlay.update(action, &self.popup_context());
            return self.carry_out(reply);
        }
        if self.searching {
            match action {
                Action::Input(c) => self.search.push(c),
                Action::Backspace => {
                    self.search.pop();
                }
                Action::Confirm => self.searching = false,
                Action::Back => {
                    self.searching = false;
                    self.search.clear();
                }
                Action::Quit => self.quit = true,
                _ => return,
            }
            self.refresh();
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            // With the detail pane in focus, moving keys scroll its text.
            Action::Down | Action::ScrollDown if self.detail_focus => self.scroll_detail(1),
            Action::Up | Action::ScrollUp if self.detail_focus => self.scroll_detail(-1),
            Action::PageDown if self.detail_focus => self.scroll_detail(self.detail_page()),
            Action::PageUp if self.detail_focus => self.scroll_detail(-self.detail_page()),
            Action::Top if self.detail_focus => self.detail_scroll = 0,
            Action::Bottom if self.detail_focus => self.detail_scroll = self.detail_max.get(),
            Action::ToggleFocus => self.detail_focus = !self.detail_focus,
            _ if self.tables.open.is_some() && self.table_action(&action) => {}
            Action::ToggleCollapse if self.group => {
                if let Some(r) = self.rows.get(self.selected) {
                    let domain = self.index.domain(*r).to_string();
                    if !self.collapsed.remove(&domain) {
                        self.collapsed.insert(domain);
                    }
                    self.refresh();
                }
            }
            Action::CollapseAll if self.group => {
                if self.collapsed.is_empty() {
                    self.collapsed = self.index.group_domains().map(str::to_string).collect();
                } else {
                    self.collapsed.clear();
                }
                self.refresh();
            }
            Action::ToggleCollapse | Action::CollapseAll => self.notice = Some(self.t("notice.group_first").into()),
            Action::StartPipe if !self.rows.is_empty() => self.overlay = Some(Overlay::Command(CommandLine::default())),
            Action::OpenPager => self.run_on_selected(crate::tui::outside::pager(), true),
            Action::Down | Action::ScrollDown => self.select(self.selected + 1),
            Action::Up | Action::ScrollUp => self.select(self.selected.saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.page()),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page())),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.rows.len().saturating_sub(1)),
            Action::DetailDown => self.scroll_detail(5),
            Action::DetailUp => self.scroll_detail(-5),
            Action::ClickRow(n) => {
                self.detail_focus = false;
                self.select(self.list_offset.get() + n);
            }
            Action::NextLike => self.select_like(true),
            Action::PrevLike => self.select_like(false),
            Action::ClearFilters => {
                self.unpin();
                self.tables.open = None;
                self.view = View::All;
                self.categories.clear();
                self.hard = None;
                self.search.clear();
                self.refresh();
            }
            Action::CopyAddress | Action::CopyDiagnostic => {
                if let Some(r) = self.rows.get(self.selected) {
                    let b = self.bounces.get(r.bounce);
                    let recipient = &b.recipients[r.recipient];
                    let text = if action == Action::CopyAddress { &recipient.address } else { &recipient.diagnostic };
                    self.notice = Some(self.f("notice.copied", &[("text", &crate::sanitize::fit(text, 60))]));
                    self.clipboard = Some(text.to_string());
                }
            }
            Action::SwitchView(v) => {
                self.unpin();
                self.tables.open = None;
                self.view = v;
                self.selected = 0;
                self.refresh();
            }
            Action::ShowTable(t) => self.open_table(t),
            Action::OpenCategories => {
                self.overlay = Some(Overlay::Categories(Categories::new(&self.categories, &self.category_counts())));
            }
            Action::CycleHardSoft => {
                self.hard = match self.hard {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                self.refresh();
            }
            Action::StartSearch => self.searching = true,
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.refresh();
            }
            Action::ReverseSort => {
                self.reverse = !self.reverse;
                self.refresh();
            }
            Action::ToggleGroup => {
                self.group = !self.group;
                self.refresh();
            }
            Action::ShowRaw => {
                if let Some(row) = self.rows.get(self.selected).copied() {
                    self.reader.ask(row.bounce, Want::Raw, &self.bounces.get(row.bounce));
                    self.viewer_max.set(u16::MAX);
                    self.overlay = Some(Overlay::Raw(Viewer::default(), self.t("detail.reading").to_string()));
                }
            }
            Action::StartExport => {
                let slug = self.tables.open.map_or(self.view.name(), |t| t.name());
                self.overlay = Some(Overlay::Export(Export::new(slug, &self.export_dir)));
            }
            Action::CycleLanguage => {
                self.lang = match self.lang {
                    Lang::En => Lang::Nl,
                    Lang::Nl => Lang::De,
                    Lang::De => Lang::En,
                };
                // Categories sort by their names, which changed.
                if self.sort == Sort::Category {
                    self.refresh();
                }
            }
            Action::Help => {
                self.viewer_max.set(u16::MAX);
                self.overlay = Some(Overlay::Help(Viewer::default()));
            }
            Action::Overview => self.overlay = Some(Overlay::Overview(Overview::new(self.summary()))),
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                self.refresh();
            }
            // Out of a table row's bounces, back to the table.
            Action::Back if self.pin.is_some() => {
                if let Some(table) = self.unpin() {
                    self.tables.open = Some(table);
                    self.detail_scroll = 0;
                    self.refresh();
                }
            }
            _ => {}
        }
    }

    /// An action in a table view: moving its selection, Enter (the row's bounces), its sort, its
    /// copies. Keys that act on a message or the list's filters say they are for the lists.
    /// Returns whether the action was the table's.
    fn table_action(&mut self, action: &Action) -> bool {
        let n = self.tables.shown.len();
        let to = match action {
            Action::Down | Action::ScrollDown => Some(self.tables.selected + 1),
            Action::Up | Action::ScrollUp => Some(self.tables.selected.saturating_sub(1)),
            Action::PageDown => Some(self.tables.selected + self.page()),
            Action::PageUp => Some(self.tables.selected.saturating_sub(self.page())),
            Action::Top => Some(0),
            Action::Bottom => Some(n.saturating_sub(1)),
            // The first line of the table is its header.
            Action::ClickRow(0) => return true,
            Action::ClickRow(row) => {
                self.detail_focus = false;
                Some(self.tables.offset.get() + row - 1)
            }
            _ => None,
        };
        if let Some(to) = to {
            let to = to.min(n.saturating_sub(1));
            if to != self.tables.selected {
                self.detail_scroll = 0;
            }
            self.tables.selected = to;
            return true;
        }
        match action {
            Action::Confirm => self.pin_selected(),
            Action::CycleSort => {
                self.tables.sort = self.tables.sort.next();
                self.refresh();
            }
            Action::CopyAddress | Action::CopyDiagnostic => {
                let text = match (self.tables.selected_recipient(), self.tables.selected_listing()) {
                    (Some(h), _) => h.address.clone(),
                    (_, Some(l)) if *action == Action::CopyAddress => l.list.page(&l.listed),
                    (_, Some(l)) => l.diagnostic.clone(),
                    _ => return true,
                };
                self.notice = Some(self.f("notice.copied", &[("text", &crate::sanitize::fit(&text, 60))]));
                self.clipboard = Some(text);
            }
            Action::OpenCategories
            | Action::CycleHardSoft
            | Action::ToggleGroup
            | Action::ToggleCollapse
            | Action::CollapseAll
            | Action::ShowRaw
            | Action::OpenPager
            | Action::StartPipe
            | Action::NextLike
            | Action::PrevLike
            | Action::Overview => self.notice = Some(self.t("notice.lists_only").into()),
            // The recipient table is written as `report --by recipient` writes it.
            Action::StartExport if self.tables.open == Some(Table::Blocklists) => {
                self.notice = Some(self.t("notice.lists_only").into())
            }
            _ => return false,
        }
        true
    }

    /// Carry out what the open popup replied to a key.
    fn carry_out(&mut self, reply: Reply<Overlay>) {
        match reply {
            Reply::Open(overlay) => self.overlay = Some(overlay),
            Reply::Close => {}
            Reply::Filter(categories) => {
                self.categories = categories;
                self.selected = 0;
                self.refresh();
            }
            Reply::Export(format, filename) => {
                let written = match self.tables.open {
                    Some(Table::Recipients) => self.export_recipients(format, &filename),
                    _ => self.export(format, &filename),
                };
                self.notice = Some(match written {
                    Ok((n, path)) => {
                        self.f("notice.exported", &[("n", &n.to_string()), ("path", &path.display().to_string())])
                    }
                    Err(e) => self.f("notice.export_failed", &[("error", &e.to_string())]),
                });
            }
            Reply::Run(command) => self.run_on_selected(command, false),
            Reply::Quit => self.quit = true,
        }
    }
}
