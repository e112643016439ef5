app-name = ansinh
app-title = Social assistance information system
lang-name = English
lang-switch = Tiếng Việt
skip-to-content = Skip to main content

# Navigation
nav-home = Home
nav-people = People and households
nav-units = Administrative units
nav-users = Accounts
nav-audit = Audit trail
nav-account = My account
nav-logout = Sign out
nav-login = Sign in
nav-policy = Policies
nav-screening = Am I eligible?

# Roles
role-admin = System administrator
role-province_officer = Province officer
role-district_officer = District officer
role-commune_officer = Commune social-affairs officer
role-commune_chairman = Commune chairman
role-facility_staff = Social assistance facility staff
role-inspector = Inspector

# Login
login-title = Sign in
login-username = User name
login-password = Password
login-submit = Sign in
login-failed = Wrong user name or password.
login-throttled = Too many failed attempts. Please try again in { $minutes } minutes.
logout-done = You have signed out.

# Dashboard
dashboard-title = Overview
dashboard-people = People in the database
dashboard-households = Households
dashboard-by-unit = By administrative unit
dashboard-at-date = Unit tree as of
dashboard-unplaced = Not placed in the tree at this date
dashboard-scope = Your scope

# Units
units-title = Administrative units over time
units-date = Show the unit tree as of
units-show = Show
units-code = Code
units-name = Unit
units-people = People
units-households = Households
units-total = Total
units-level-province = Province
units-level-district = District
units-level-commune = Commune

# People
people-title = People and households
people-search = Search by full name or ID number
people-search-hint = Diacritics are optional: "nguyen van duc" finds "Nguyễn Văn Đức".
people-search-submit = Search
people-new = Add a person
people-export-csv = Download CSV
people-export-xlsx = Download Excel
people-none = Nobody matches.
people-count = { $count } people
people-count-capped = More than { $count } people
people-no = No.
page-prev = Previous page
page-next = Next page

person-full-name = Full name
person-sex = Sex
sex-male = Male
sex-female = Female
person-birth-date = Date of birth
person-birth-date-hint = Write year-month-day (1956-03-15); if only the year is known write 1956, year and month 1956-03.
person-cccd = ID number (CCCD)
person-cccd-hint = 12 digits.
person-birth-cert = Birth certificate number
person-ethnicity = Ethnicity
person-unit = Commune or ward
person-hamlet = Hamlet
person-relation = Relation to the head of household
relation-head = Head of household
relation-spouse = Spouse
relation-child = Child
relation-parent = Parent
relation-grandchild = Grandchild
relation-grandparent = Grandparent
relation-sibling = Sibling
relation-other = Other
person-disability = Disability level
disability-none = None
disability-mild = Mild
disability-severe = Severe
disability-especially_severe = Especially severe
person-disability-cert = Date of the disability certificate
person-hiv = HIV positive
person-hiv-hidden = Sensitive, hidden
person-has-pension = Receives a pension or monthly social-insurance benefit
person-phone = Phone
person-payment-channel = Payment channel
channel-cash = Cash
channel-bank = Bank account
channel-e_wallet = E-wallet
person-bank-account = Account number
person-death-date = Date of death
person-household = Household
person-household-code = Household code (empty for a new household)
person-address = Address
person-poverty = Poor or near-poor household
person-poverty-year = Year
poverty-none = No
poverty-near_poor = Near-poor household
poverty-poor = Poor household
person-save = Save
person-cancel = Cancel
person-edit = Edit
person-history = History of changes
person-reveal = Show sensitive data
person-reveal-note = Viewing it is recorded in the audit trail.
person-created = The person was added.
person-updated = Changes saved.
person-new-title = Add a person
person-edit-title = Edit
person-required = (required)
person-duplicate-title = Possibly already registered
person-duplicate-text = Someone with the same name, birth date and commune is already registered. Check before saving:
person-duplicate-confirm = This is someone else, save anyway
person-deceased = Deceased
household-title = Household { $code }
household-members = Members
household-poverty-history = Poverty status by year
household-set-poverty = Update
form-errors = Some fields are not valid. Please correct the marked fields.

# Field errors (codes from the domain)
field-required = Required.
field-too-long = Too long.
field-name-characters = Only letters, spaces, hyphens, apostrophes and dots are allowed.
field-text-characters = Contains characters that are not allowed.
field-invalid-choice = Not a valid choice.
field-date-in-future = Cannot be in the future.
field-date-format = Write the date as year-month-day, e.g. 2024-03-15.
field-birth-date-format = Write the birth date as 1956-03-15, 1956-03 or 1956.
field-cccd-length = An ID number has exactly 12 digits.
field-cccd-digits = An ID number has digits only.
field-cccd-province = The first three digits are not a province code.
field-cccd-century-sex = The fourth digit does not match the sex and century of birth.
field-cccd-birth-year = The fifth and sixth digits do not match the birth year.
field-cccd-taken = This ID number is already registered.
field-unknown-ethnicity = Not in the list of ethnic groups.
field-unknown-unit = No such administrative unit at this date.
field-unit-outside-scope = This unit is outside your area.
field-certificate-without-disability = Give a certificate date only with a disability.
field-date-before-birth = Cannot be before the birth date.
field-death-before-birth = The date of death cannot be before the birth date.
field-phone-format = A phone number has 10 digits starting with 0.
field-code-format = Letters, digits and dashes only, at most 30 characters.
field-account-required = An account number is needed for bank or e-wallet payment.
field-unknown-household = No household with this code in your area.
field-year-out-of-range = Not a valid year.
field-username-format = Lower-case letters without diacritics, digits, dots, underscores and dashes only.
field-username-taken = This user name is taken.
field-unit-level-mismatch = The unit level does not fit the role.
field-unit-not-current = The unit is no longer valid.
field-password-too-short = A password needs at least 10 characters.
field-wrong-password = The current password is wrong.
field-password-unchanged = The new password must differ from the old one.
field-password-mismatch = The two new passwords do not match.

# Errors
error-title = Something went wrong
error-unauthenticated = Please sign in.
error-forbidden = You are not allowed to do this.
error-not-found = Not found.
error-invalid-input = Some input is not valid.
error-possible-duplicate = Possibly already registered.
error-conflict = This value is already used.
error-stale = Someone else changed this record just now. Please reload the page and try again.
error-throttled = Too many attempts. Please try again later.
error-bad-credentials = Wrong user name or password.
error-internal = Internal error. Please try again, or tell the administrator with the request id.
error-csrf = Your session expired or the form is not valid. Please reload the page.
error-bad-request = The request is not valid.
error-payload-too-large = The data sent is too large.
error-unsupported-media-type = This data format is not supported.
error-cannot-demote-self = You cannot lock or demote your own account.
error-request-id = Request id
error-back-home = Back to the home page

# Account
account-title = My account
account-change-password = Change password
account-current-password = Current password
account-new-password = New password
account-new-password-again = New password again
account-must-change = Please change your password before you continue.
account-password-changed = Password changed.
account-tokens = API keys for connected software
account-token-name = Key name
account-token-days = Valid for (days; empty for no expiry)
account-token-create = Create key
account-token-revoke = Revoke
account-token-revoked = Revoked
account-token-active = Active
account-token-created-at = Created
account-token-last-used = Last used
account-token-none = No keys yet.
secret-title = Save this now
secret-once = This value is shown only once. Keep it somewhere safe.
secret-continue = Continue

# Users (admin)
users-title = Accounts
users-new = New account
users-username = User name
users-full-name = Full name
users-role = Role
users-unit = Unit
users-active = Active
users-inactive = Locked
users-status = Status
users-edit = Edit
users-save = Save
users-reset-password = Reset password
users-password = Password (empty for a random one)
users-created = Account { $username } created.
users-updated = Account saved.
users-password-reset = New password of { $username }

# Audit
audit-title = Audit trail
audit-at = Time
audit-actor = By
audit-source = Source
audit-action = Action
audit-entity = Record
audit-before = Before
audit-after = After
audit-filter = Filter
audit-none = No entries.
audit-chain-note = Each entry is hash-chained to the one before; `ansinh audit verify` checks the whole chain.

footer-text = ansinh — social assistance information system
