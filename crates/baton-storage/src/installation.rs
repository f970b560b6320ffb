//! Secrets of the installation as a whole, shared by every node: created once by whichever node
//! asks first, then read by all. The values never leave the server (no API returns them).

use crate::db::params;
use crate::{Store, StoreError};

impl Store {
    /// The installation secret called `name`: the stored one, or `candidate` stored now when
    /// there was none. Two nodes asking at once get the same value (the first insert wins).
    pub async fn installation_secret(
        &self,
        name: &str,
        candidate: &str,
    ) -> Result<String, StoreError> {
        let (name, candidate) = (name.to_owned(), candidate.to_owned());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO installation_secrets (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                    params![name.clone(), candidate.clone()],
                )?;
                c.query_one(
                    "SELECT value FROM installation_secrets WHERE name = $1",
                    params![name.clone()],
                    |r| r.text("value"),
                )
            })
            .await
    }
}
