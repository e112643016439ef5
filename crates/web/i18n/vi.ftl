app-name = ansinh
app-title = Hệ thống thông tin trợ giúp xã hội
lang-name = Tiếng Việt
lang-switch = English
skip-to-content = Chuyển đến nội dung chính

# Navigation
nav-home = Trang chủ
nav-people = Đối tượng và hộ
nav-units = Đơn vị hành chính
nav-users = Tài khoản
nav-audit = Nhật ký
nav-account = Tài khoản của tôi
nav-logout = Đăng xuất
nav-login = Đăng nhập
nav-policy = Chính sách
nav-screening = Tự kiểm tra điều kiện

# Roles
role-admin = Quản trị hệ thống
role-province_officer = Cán bộ cấp tỉnh
role-district_officer = Cán bộ cấp huyện
role-commune_officer = Công chức văn hóa - xã hội cấp xã
role-commune_chairman = Chủ tịch UBND cấp xã
role-facility_staff = Nhân viên cơ sở trợ giúp xã hội
role-inspector = Thanh tra

# Login
login-title = Đăng nhập
login-username = Tên đăng nhập
login-password = Mật khẩu
login-submit = Đăng nhập
login-failed = Tên đăng nhập hoặc mật khẩu không đúng.
login-throttled = Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau { $minutes } phút.
logout-done = Bạn đã đăng xuất.

# Dashboard
dashboard-title = Tổng quan
dashboard-people = Số người trong cơ sở dữ liệu
dashboard-households = Số hộ
dashboard-by-unit = Theo đơn vị hành chính
dashboard-at-date = Theo cây đơn vị ngày
dashboard-unplaced = Chưa xếp được vào đơn vị tại ngày này
dashboard-scope = Phạm vi của bạn

# Units
units-title = Đơn vị hành chính theo thời gian
units-date = Xem cây đơn vị tại ngày
units-show = Xem
units-code = Mã
units-name = Tên đơn vị
units-people = Số người
units-households = Số hộ
units-total = Tổng cộng
units-level-province = Tỉnh
units-level-district = Huyện
units-level-commune = Xã

# People
people-title = Đối tượng và hộ gia đình
people-search = Tìm theo họ tên hoặc số CCCD
people-search-hint = Không cần gõ dấu: "nguyen van duc" tìm được "Nguyễn Văn Đức".
people-search-submit = Tìm
people-new = Thêm người
people-export-csv = Tải CSV
people-export-xlsx = Tải Excel
people-none = Không có người nào phù hợp.
people-count = { $count } người
people-count-capped = Hơn { $count } người
people-no = STT
page-prev = Trang trước
page-next = Trang sau

person-full-name = Họ và tên
person-sex = Giới tính
sex-male = Nam
sex-female = Nữ
person-birth-date = Ngày sinh
person-birth-date-hint = Ghi năm-tháng-ngày (1956-03-15); nếu chỉ biết năm sinh ghi 1956, năm và tháng ghi 1956-03.
person-cccd = Số CCCD
person-cccd-hint = 12 chữ số.
person-birth-cert = Số giấy khai sinh
person-ethnicity = Dân tộc
person-unit = Xã, phường
person-hamlet = Ấp, khóm
person-relation = Quan hệ với chủ hộ
relation-head = Chủ hộ
relation-spouse = Vợ/chồng
relation-child = Con
relation-parent = Cha/mẹ
relation-grandchild = Cháu
relation-grandparent = Ông/bà
relation-sibling = Anh/chị/em
relation-other = Khác
person-disability = Mức độ khuyết tật
disability-none = Không
disability-mild = Nhẹ
disability-severe = Nặng
disability-especially_severe = Đặc biệt nặng
person-disability-cert = Ngày cấp giấy xác nhận khuyết tật
person-hiv = Nhiễm HIV
person-hiv-hidden = Thông tin nhạy cảm, đã ẩn
person-has-pension = Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng
person-phone = Số điện thoại
person-payment-channel = Hình thức nhận tiền
channel-cash = Tiền mặt
channel-bank = Tài khoản ngân hàng
channel-e_wallet = Ví điện tử
person-bank-account = Số tài khoản
person-death-date = Ngày mất
person-household = Hộ gia đình
person-household-code = Mã hộ (để trống để tạo hộ mới)
person-address = Địa chỉ
person-poverty = Hộ nghèo, cận nghèo
person-poverty-year = Năm
poverty-none = Không
poverty-near_poor = Hộ cận nghèo
poverty-poor = Hộ nghèo
person-save = Lưu
person-cancel = Hủy
person-edit = Sửa
person-history = Lịch sử thay đổi
person-reveal = Xem thông tin nhạy cảm
person-reveal-note = Việc xem được ghi vào nhật ký.
person-created = Đã thêm người vào cơ sở dữ liệu.
person-updated = Đã lưu thay đổi.
person-new-title = Thêm người
person-edit-title = Sửa thông tin
person-required = (bắt buộc)
person-duplicate-title = Có thể trùng người đã có
person-duplicate-text = Đã có người cùng họ tên, ngày sinh và xã. Kiểm tra trước khi lưu:
person-duplicate-confirm = Đây là người khác, vẫn lưu
person-deceased = Đã mất
household-title = Hộ { $code }
household-members = Thành viên
household-poverty-history = Hộ nghèo, cận nghèo theo năm
household-set-poverty = Cập nhật
form-errors = Thông tin chưa hợp lệ. Vui lòng sửa các ô được đánh dấu.

# Field errors (codes from the domain)
field-required = Không được để trống.
field-too-long = Quá dài.
field-name-characters = Chỉ được dùng chữ cái, dấu cách, dấu gạch nối, dấu nháy đơn và dấu chấm.
field-text-characters = Có ký tự không được phép.
field-invalid-choice = Giá trị không hợp lệ.
field-date-in-future = Không được là ngày trong tương lai.
field-date-format = Ghi ngày theo dạng năm-tháng-ngày, ví dụ 2024-03-15.
field-birth-date-format = Ghi ngày sinh dạng 1956-03-15, 1956-03 hoặc 1956.
field-cccd-length = Số CCCD gồm đúng 12 chữ số.
field-cccd-digits = Số CCCD chỉ gồm chữ số.
field-cccd-province = Ba chữ số đầu không phải mã tỉnh.
field-cccd-century-sex = Chữ số thứ tư không khớp với giới tính và thế kỷ sinh.
field-cccd-birth-year = Chữ số thứ năm và sáu không khớp với năm sinh.
field-cccd-taken = Số CCCD này đã có trong cơ sở dữ liệu.
field-unknown-ethnicity = Dân tộc không có trong danh mục.
field-unknown-unit = Đơn vị hành chính không tồn tại tại ngày này.
field-unit-outside-scope = Đơn vị này nằm ngoài phạm vi quản lý của bạn.
field-certificate-without-disability = Chỉ ghi ngày cấp giấy khi có khuyết tật.
field-date-before-birth = Không được trước ngày sinh.
field-death-before-birth = Ngày mất không được trước ngày sinh.
field-phone-format = Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.
field-code-format = Chỉ gồm chữ, số và dấu gạch, tối đa 30 ký tự.
field-account-required = Cần số tài khoản khi nhận qua ngân hàng hoặc ví điện tử.
field-unknown-household = Không tìm thấy hộ có mã này trong phạm vi của bạn.
field-year-out-of-range = Năm không hợp lệ.
field-username-format = Chỉ gồm chữ thường không dấu, số, dấu chấm, gạch dưới, gạch nối.
field-username-taken = Tên đăng nhập đã được dùng.
field-unit-level-mismatch = Cấp đơn vị không phù hợp với vai trò.
field-unit-not-current = Đơn vị không còn hiệu lực.
field-password-too-short = Mật khẩu cần ít nhất 10 ký tự.
field-wrong-password = Mật khẩu hiện tại không đúng.
field-password-unchanged = Mật khẩu mới phải khác mật khẩu cũ.
field-password-mismatch = Hai lần nhập mật khẩu mới không khớp.

# Errors
error-title = Có lỗi xảy ra
error-unauthenticated = Bạn cần đăng nhập.
error-forbidden = Bạn không có quyền thực hiện thao tác này.
error-not-found = Không tìm thấy.
error-invalid-input = Thông tin chưa hợp lệ.
error-possible-duplicate = Có thể trùng với người đã có.
error-conflict = Giá trị đã được dùng.
error-stale = Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang và thử lại.
error-throttled = Thao tác quá nhiều lần. Vui lòng thử lại sau.
error-bad-credentials = Tên đăng nhập hoặc mật khẩu không đúng.
error-internal = Lỗi hệ thống. Vui lòng thử lại hoặc báo cho quản trị, kèm mã yêu cầu.
error-csrf = Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang.
error-bad-request = Yêu cầu không hợp lệ.
error-payload-too-large = Dữ liệu gửi lên quá lớn.
error-unsupported-media-type = Định dạng dữ liệu không được hỗ trợ.
error-cannot-demote-self = Bạn không thể tự khóa hoặc hạ quyền tài khoản của mình.
error-request-id = Mã yêu cầu
error-back-home = Về trang chủ

# Account
account-title = Tài khoản của tôi
account-change-password = Đổi mật khẩu
account-current-password = Mật khẩu hiện tại
account-new-password = Mật khẩu mới
account-new-password-again = Nhập lại mật khẩu mới
account-must-change = Bạn cần đổi mật khẩu trước khi tiếp tục.
account-password-changed = Đã đổi mật khẩu.
account-tokens = Khóa API cho phần mềm kết nối
account-token-name = Tên khóa
account-token-days = Hiệu lực (ngày, để trống là không hạn)
account-token-create = Tạo khóa
account-token-revoke = Thu hồi
account-token-revoked = Đã thu hồi
account-token-active = Đang dùng
account-token-created-at = Ngày tạo
account-token-last-used = Lần dùng gần nhất
account-token-none = Chưa có khóa nào.
secret-title = Lưu lại ngay
secret-once = Giá trị này chỉ hiển thị một lần. Hãy lưu lại ở nơi an toàn.
secret-continue = Tiếp tục

# Users (admin)
users-title = Quản lý tài khoản
users-new = Tạo tài khoản
users-username = Tên đăng nhập
users-full-name = Họ và tên
users-role = Vai trò
users-unit = Đơn vị
users-active = Đang hoạt động
users-inactive = Đã khóa
users-status = Trạng thái
users-edit = Sửa
users-save = Lưu
users-reset-password = Cấp lại mật khẩu
users-password = Mật khẩu (để trống để tạo ngẫu nhiên)
users-created = Đã tạo tài khoản { $username }.
users-updated = Đã lưu tài khoản.
users-password-reset = Mật khẩu mới của { $username }

# Audit
audit-title = Nhật ký thay đổi
audit-at = Thời gian
audit-actor = Người thực hiện
audit-source = Nguồn
audit-action = Thao tác
audit-entity = Đối tượng
audit-before = Trước
audit-after = Sau
audit-filter = Lọc
audit-none = Không có bản ghi nào.
audit-chain-note = Mỗi bản ghi nối chuỗi băm với bản ghi trước; lệnh `ansinh audit verify` kiểm tra toàn bộ chuỗi.

footer-text = ansinh — hệ thống thông tin trợ giúp xã hội
